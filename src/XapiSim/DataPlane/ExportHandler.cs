using VmBackup.Formats.Compression;
using VmBackup.Formats.Tar;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>GET /export</c>: an XVA of a halted or suspended VM, template or snapshot (§3.2, §4), optionally gzip or zstd as a
/// whole, with xapi's HTTP/1.0 head, task, progress (MiB of disk processed ÷ total) and cancellation.
/// </summary>
internal sealed class ExportHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VM.export";

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var credentials = await Transfer.AuthenticateAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return;
        }

        var vm = RequestParameters.RefOrUuid(pool, "VM", exchange.GetParameter("ref"))
            ?? RequestParameters.RefOrUuid(pool, "VM", exchange.GetParameter("uuid"));
        if (vm is not null)
        {
            var srs = pool.Database.GetStrings("VM", vm, "VBDs")
                .Where(vbd => pool.Database.GetString("VBD", vbd, "type") != "CD")
                .Select(vbd => pool.Database.GetString("VBD", vbd, "VDI"))
                .Where(vdi => pool.Database.Exists(vdi, "VDI"))
                .Select(vdi => pool.Database.GetString("VDI", vdi, "SR"));
            if (await SrLocality.RedirectIfElsewhereAsync(exchange, pool, srs, cancellationToken).ConfigureAwait(false))
            {
                credentials.Release(pool);
                return;
            }
        }

        using var transfer = Transfer.Start(exchange, pool, credentials, Label);
        await transfer.RunAsync(() => ExportAsync(transfer, vm, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compression from <c>use_compression</c>: <c>true</c>/<c>gzip</c> = gzip, <c>zstd</c> = zstd, else none.</summary>
    internal static CompressionKind CompressionOf(HttpExchange exchange) => exchange.GetParameter("use_compression") switch
    {
        "true" or "gzip" => CompressionKind.Gzip,
        "zstd" => CompressionKind.Zstd,
        _ => CompressionKind.None,
    };

    private async ValueTask ExportAsync(Transfer transfer, string? vm, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        if (vm is null)
        {
            var given = exchange.GetParameter("ref") ?? exchange.GetParameter("uuid") ?? string.Empty;
            throw new XenApiFailure("HANDLE_INVALID", "VM", given);
        }

        var preserve = exchange.GetParameter("preserve_power_state") switch
        {
            null => false,
            "true" => true,
            "false" => false,
            var other => throw new XenApiFailure("INTERNAL_ERROR", "Invalid_argument(\"bool_of_string\"): " + other),
        };
        var power = pool.Database.GetString("VM", vm, "power_state");
        if (power is not ("Halted" or "Suspended"))
        {
            throw new XenApiFailure("VM_BAD_POWER_STATE", vm, "halted;suspended", power.ToLowerInvariant());
        }

        var builder = new OvaXmlBuilder(pool, new ExportOptions { PreservePowerState = preserve });
        builder.Add(vm);
        var metadata = builder.Build();
        var disks = ExportDisks.For(pool, vm, builder.Ids, preserve);
        var total = disks.Sum(d => d.Size);
        transfer.PrepareOk(
            "1.0",
            ("Server", ServerHeader(pool)),
            ("content-type", "application/octet-stream"),
            ("Content-Disposition", "attachment; filename=\"export.xva\""));
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        var wire = new TransferOutputStream(exchange.ResponseBody, transfer.Faults, pool.Time);
        await using (wire.ConfigureAwait(false))
        {
            var compressed = CompressionStreams.OpenWrite(wire, CompressionOf(exchange), level: 1, leaveOpen: true);
            await using (compressed.ConfigureAwait(false))
            {
                var tar = new TarWriter(compressed);
                var writer = new XvaStreamWriter(transfer, pool.Disks, tar);
                await writer.WriteOvaXmlAsync(metadata, pool.Time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
                await writer.WriteDisksAsync(disks, total, cancellationToken).ConfigureAwait(false);
                await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
            }

            await wire.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        transfer.ThrowIfCancelled();
        transfer.Complete(null);
    }

    /// <summary>xapi's user agent, <c>xapi/&lt;major&gt;.&lt;minor&gt;</c>.</summary>
    internal static string ServerHeader(SimulatedPool pool)
    {
        var version = OvaXmlBuilder.Version(pool);
        return $"xapi/{version.XapiMajor}.{version.XapiMinor}";
    }
}
