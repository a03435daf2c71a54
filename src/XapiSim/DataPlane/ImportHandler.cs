using VmBackup.Formats.Xva;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>PUT /import</c>: an XVA (plain, gzip or zstd) into <c>sr_id</c>/<c>sr_uuid</c> or the pool's default SR. The 200
/// head goes out before the body is read (the PUT handshake); chunked uploads get 403 and an ISO SR 400. Disks are
/// written to the store as their chunks stream past; checksums are verified unless <c>force=true</c>; a failure removes
/// what was created. Result: the XML-RPC array of the new VMs.
/// </summary>
internal sealed class ImportHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VM.import";

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var credentials = await Transfer.AuthenticateAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return;
        }

        var sr = TargetSr(pool, exchange);
        if (sr is not null && await SrLocality.RedirectIfElsewhereAsync(exchange, pool, [sr], cancellationToken).ConfigureAwait(false))
        {
            credentials.Release(pool);
            return;
        }

        using var transfer = Transfer.Start(exchange, pool, credentials, Label);
        var force = RequestParameters.Flag(exchange, "force");
        var importer = new OvaImporter(pool, sr, RequestParameters.Flag(exchange, "restore"), force, metadataOnly: false, new Dictionary<string, string>());
        await transfer.RunAsync(() => ImportAsync(transfer, importer, sr, force, cancellationToken), e => ImportErrors.Map(e, exchange), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>sr_id</c> (ref) or <c>sr_uuid</c>, else the pool's default SR; null when none is valid.</summary>
    internal static string? TargetSr(SimulatedPool pool, HttpExchange exchange)
    {
        if (exchange.GetParameter("sr_id") is { } srId)
        {
            return pool.Database.Exists(srId, "SR") ? srId : null;
        }

        if (exchange.GetParameter("sr_uuid") is { } srUuid)
        {
            return pool.Database.FindByUuid("SR", srUuid);
        }

        var fallback = pool.Database.GetString("pool", pool.PoolRef, "default_SR");
        return pool.Database.Exists(fallback, "SR") ? fallback : null;
    }

    /// <summary><c>sr_id</c> or <c>sr_uuid</c> only (no default), or null.</summary>
    internal static string? TargetSrExplicit(SimulatedPool pool, HttpExchange exchange)
        => exchange.GetParameter("sr_id") is null && exchange.GetParameter("sr_uuid") is null ? null : TargetSr(pool, exchange);

    private async ValueTask ImportAsync(Transfer transfer, OvaImporter importer, string? sr, bool force, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        if (sr is null)
        {
            throw new XenApiFailure("DEFAULT_SR_NOT_FOUND", XapiValues.NullRef);
        }

        if (pool.Database.GetString("SR", sr, "content_type") == "iso")
        {
            transfer.Fail(new XenApiFailure("SR_OPERATION_NOT_SUPPORTED"));
            await DataPlaneResponses.BadRequestAsync(exchange, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (exchange.RequestTransferEncoding is not null)
        {
            transfer.Fail(new XenApiFailure("IMPORT_ERROR_CANNOT_HANDLE_CHUNKED"));
            await DataPlaneResponses.ForbiddenAsync(exchange, cancellationToken).ConfigureAwait(false);
            return;
        }

        transfer.PrepareOk("1.1", ("content-type", "application/octet-stream"));
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var handler = new XvaImportHandler(pool, importer, transfer);
            await XvaReader.ReadAsync(exchange.RequestBody, handler, new XvaReaderOptions { VerifyChecksums = !force }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!force)
        {
            importer.Rollback();
            throw;
        }

        importer.RefreshUsage();
        pool.Database.Update<Dictionary<string, object>>("task", transfer.Task, "other_config", c => c["object_creation"] = "complete");
        transfer.ThrowIfCancelled();
        transfer.Complete(importer.ResultVms());
    }
}
