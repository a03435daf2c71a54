using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>GET /pool/xmldbdump</c> streams the database (<see cref="XmlDbDumpWriter"/>); <c>PUT /pool/xmldbdump?dry_run=</c>
/// needs a Content-Length (else 400), validates the upload (XML, manifest, schema major version, known tables, rows with
/// refs) and, unless a dry run, stages it (<see cref="DataPlaneState"/>): xapi would restart on it, the simulator does not.
/// </summary>
internal sealed class XmlDbDumpHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "pool_db_backup";
    private const long MaxUpload = 512L * 1024 * 1024;

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        using var transfer = await Transfer.BeginAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (transfer is null)
        {
            return;
        }

        if (exchange.Method == "GET")
        {
            await transfer.RunAsync(() => DumpAsync(transfer, cancellationToken), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await transfer.RunAsync(() => RestoreAsync(transfer, cancellationToken), null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask DumpAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        transfer.ApplyFailFault();
        var bytes = XmlDbDumpWriter.Write(pool);
        transfer.PrepareOk("1.1");
        var wire = new TransferOutputStream(transfer.Exchange.ResponseBody, transfer.Faults, pool.Time);
        await using (wire.ConfigureAwait(false))
        {
            await wire.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await wire.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        transfer.Complete(null);
    }

    private async ValueTask RestoreAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        if (exchange.RequestContentLength is not { } length || exchange.IsRequestChunked)
        {
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "pool database restore needs a Content-Length"));
            await DataPlaneResponses.BadRequestAsync(exchange, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (length > MaxUpload)
        {
            throw new XenApiFailure("INTERNAL_ERROR", "database upload too large");
        }

        var dryRun = RequestParameters.Flag(exchange, "dry_run");
        transfer.PrepareOk("1.1");
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        var body = new byte[length];
        await exchange.RequestBody.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        var tables = Validate(body);
        if (!dryRun)
        {
            DataPlaneState.For(pool).StageRestore(length, tables);
        }

        transfer.Complete(null);
    }

    /// <summary>Checks the dump; returns its table count or throws the error xapi would record.</summary>
    internal static int Validate(byte[] body)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new XenApiFailure("INTERNAL_ERROR", "Xmlm.Error: " + e.Message);
        }

        var root = document.Root;
        if (root is null || root.Name != "database" || root.Element("manifest") is not { } manifest)
        {
            throw new XenApiFailure("INTERNAL_ERROR", "Db_xml.Unmarshall_error: expected <database><manifest>");
        }

        var pairs = manifest.Elements("pair").ToDictionary(p => (string?)p.Attribute("key") ?? string.Empty, p => (string?)p.Attribute("value") ?? string.Empty, StringComparer.Ordinal);
        if (!pairs.TryGetValue("schema_major_vsn", out var major) || major != XmlDbDumpWriter.SchemaMajor.ToString(CultureInfo.InvariantCulture))
        {
            throw new XenApiFailure("RESTORE_INCOMPATIBLE_VERSION");
        }

        var tables = 0;
        foreach (var table in root.Elements("table"))
        {
            var name = (string?)table.Attribute("name");
            if (name is null || !Datamodel.Instance.Classes.ContainsKey(name))
            {
                throw new XenApiFailure("INTERNAL_ERROR", "Db_xml.Unmarshall_error: unknown table " + name);
            }

            if (table.Elements("row").Any(row => row.Attribute("ref") is null))
            {
                throw new XenApiFailure("INTERNAL_ERROR", "Db_xml.Unmarshall_error: a row of " + name + " has no ref");
            }

            tables++;
        }

        if (!root.Elements("table").Any(t => (string?)t.Attribute("name") == "pool" && t.Elements("row").Any()))
        {
            throw new XenApiFailure("INTERNAL_ERROR", "the dump holds no pool object");
        }

        return tables;
    }
}
