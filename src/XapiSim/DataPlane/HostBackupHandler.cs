using System.Globalization;
using System.IO.Compression;
using System.Text;
using VmBackup.Formats.Tar;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>GET /host_backup</c>: a gzip tar of a small fake dom0 filesystem (<c>etc/xensource-inventory</c>,
/// <c>var/backup/pool-database-&lt;date&gt;</c> = the xmldbdump); <c>PUT /host_restore</c> accepts such an archive
/// after checking it is a gzip tar holding the inventory.
/// </summary>
internal sealed class HostBackupHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Inventory = "etc/xensource-inventory";

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var label = exchange.Method == "GET" ? "host.backup" : "host.restore";
        using var transfer = await Transfer.BeginAsync(exchange, pool, label, cancellationToken).ConfigureAwait(false);
        if (transfer is null)
        {
            return;
        }

        await transfer.RunAsync(
            () => exchange.Method == "GET" ? BackupAsync(transfer, cancellationToken) : RestoreAsync(transfer, cancellationToken),
            e => e is InvalidDataException or IOException ? new XenApiFailure("INTERNAL_ERROR", "host restore: " + e.Message) : null,
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask BackupAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        transfer.ApplyFailFault();
        var host = transfer.LocalHost;
        var db = pool.Database;
        var now = pool.Now;
        var inventory = new StringBuilder()
            .Append("PRIMARY_DISK='/dev/disk/by-id/simulated'\n")
            .Append("PRODUCT_VERSION='").Append(OvaXmlBuilder.Version(pool).ProductVersion).Append("'\n")
            .Append("INSTALLATION_UUID='").Append(db.GetString("host", host, "uuid")).Append("'\n")
            .Append("MANAGEMENT_INTERFACE='xenbr0'\n")
            .ToString();
        var dump = XmlDbDumpWriter.Write(pool);
        transfer.PrepareOk("1.1");
        var wire = new TransferOutputStream(transfer.Exchange.ResponseBody, transfer.Faults, pool.Time);
        await using (wire.ConfigureAwait(false))
        {
            var gzip = new GZipStream(wire, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarWriter(gzip);
                var mtime = new DateTimeOffset(now).ToUnixTimeSeconds();
                await tar.WriteEntryAsync(Inventory, Encoding.ASCII.GetBytes(inventory), mtime, cancellationToken).ConfigureAwait(false);
                pool.SetTaskProgress(transfer.Task, 0.5);
                await tar.WriteEntryAsync("var/backup/pool-database-" + now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), dump, mtime, cancellationToken).ConfigureAwait(false);
                pool.SetTaskProgress(transfer.Task, 0.9);
                await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
            }

            await wire.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        transfer.Complete(null);
    }

    private async ValueTask RestoreAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        transfer.PrepareOk("1.1");
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        var gzip = new GZipStream(exchange.RequestBody, CompressionMode.Decompress, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            var tar = new TarReader(gzip);
            var sawInventory = false;
            var buffer = new byte[64 * 1024];
            while (await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                sawInventory |= entry.Name.TrimStart('.', '/') == Inventory;
                while (await tar.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                {
                    transfer.ThrowIfCancelled();
                }
            }

            if (!sawInventory)
            {
                throw new XenApiFailure("INTERNAL_ERROR", "host restore: the archive holds no " + Inventory);
            }
        }

        DataPlaneState.For(pool).RecordHostRestore();
        transfer.Complete(null);
    }
}
