using System.Text;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>PUT /import_metadata</c>: a tar holding ova.xml (a <c>.vmmeta</c>); creates the VMs with VBDs on existing VDIs
/// and VIFs. A VDI is found as xapi's import.ml does: through the <c>vdi:&lt;uuid&gt;=&lt;uuid&gt;</c> map (keyed by the
/// VDI's uuid or SCSIid; the value is a VDI uuid or SCSIid, never a ref), by its SCSIid, else by location in the SR of
/// the same uuid; a missing disk fails with <c>VDI_LOCATION_MISSING</c> (<c>VDI_CONTENT_ID_MISSING</c> when its SR is
/// unknown) unless forced. <c>restore</c> keeps the uuids (VM, VBDs) and MACs, <c>force</c>, <c>dry_run</c> (checks,
/// creates nothing, result empty). Result: the XML-RPC array of the new VMs. A method fault on
/// <c>VM.metadata_import</c> (the handler's xapi operation) fails the import once its objects were created, so they
/// are removed again as xapi's cleanup does.
/// </summary>
internal sealed class ImportMetadataHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VM.metadata_import";

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        using var transfer = await Transfer.BeginAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (transfer is null)
        {
            return;
        }

        await transfer.RunAsync(() => ImportAsync(transfer, cancellationToken), e => ImportErrors.Map(e, exchange), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ImportAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        if (exchange.RequestTransferEncoding is not null)
        {
            transfer.Fail(new XenApiFailure("IMPORT_ERROR_CANNOT_HANDLE_CHUNKED"));
            await DataPlaneResponses.ForbiddenAsync(exchange, cancellationToken).ConfigureAwait(false);
            return;
        }

        var vdiMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in exchange.Query)
        {
            if (key.StartsWith("vdi:", StringComparison.Ordinal))
            {
                vdiMap[key[4..]] = value;
            }
        }

        var restore = RequestParameters.Flag(exchange, "restore");
        var force = RequestParameters.Flag(exchange, "force");
        var dryRun = RequestParameters.Flag(exchange, "dry_run");
        transfer.PrepareOk("1.1", ("content-type", "application/octet-stream"));
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        var tar = new TarReader(exchange.RequestBody);
        var entry = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException("empty metadata upload");
        if (entry.Name != XvaChunkNames.OvaXml)
        {
            throw new XenApiFailure("IMPORT_ERROR_UNEXPECTED_FILE", XvaChunkNames.OvaXml, entry.Name);
        }

        var bytes = new byte[entry.Size];
        await tar.ReadDataExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        var metadata = OvaXml.Parse(Encoding.UTF8.GetString(bytes));
        var importer = new OvaImporter(pool, null, restore, force, metadataOnly: true, vdiMap);
        if (dryRun)
        {
            importer.Precheck(metadata);
            transfer.Complete(new List<object>());
            return;
        }

        try
        {
            importer.CreateAll(metadata);
            if (pool.Faults.NextFailure(Label) is { } injected)
            {
                throw injected;
            }
        }
        catch (Exception) when (!force)
        {
            importer.Rollback();
            throw;
        }

        pool.Database.Update<Dictionary<string, object>>("task", transfer.Task, "other_config", c => c["object_creation"] = "complete");
        transfer.Complete(importer.ResultVms());
    }
}
