using System.Globalization;
using VmBackup.Formats.Tar;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>GET /export_metadata</c>: a tar holding only ova.xml (what <c>xe vm-export --metadata</c> writes), sent with a
/// Content-Length. <c>ref</c>/<c>uuid</c> or <c>all=true</c>; <c>export_snapshots</c> (default true),
/// <c>include_vhd_parents</c>, <c>excluded_device_types</c>, <c>include_dom0</c>.
/// </summary>
internal sealed class ExportMetadataHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VM.export_metadata";

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        using var transfer = await Transfer.BeginAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (transfer is null)
        {
            return;
        }

        await transfer.RunAsync(() => ExportAsync(transfer, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ExportAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        var all = RequestParameters.Flag(exchange, "all", false);
        var excluded = (exchange.GetParameter("excluded_device_types") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var options = new ExportOptions
        {
            PreservePowerState = false,
            IncludeSnapshots = RequestParameters.Flag(exchange, "export_snapshots", true),
            IncludeVhdParents = RequestParameters.Flag(exchange, "include_vhd_parents", false),
            ExcludedDevices = excluded,
        };
        var builder = new OvaXmlBuilder(pool, options);
        if (all)
        {
            var includeDom0 = RequestParameters.Flag(exchange, "include_dom0", true);
            foreach (var vm in pool.Database.GetAll("VM"))
            {
                var record = pool.Database.GetRecord("VM", vm);
                if ((bool)record["is_default_template"] || (!includeDom0 && (bool)record["is_control_domain"]) || (bool)record["is_a_snapshot"])
                {
                    continue;
                }

                builder.Add(vm);
            }
        }
        else
        {
            var vm = RequestParameters.RefOrUuid(pool, "VM", exchange.GetParameter("ref"))
                ?? RequestParameters.RefOrUuid(pool, "VM", exchange.GetParameter("uuid"))
                ?? throw new XenApiFailure("HANDLE_INVALID", "VM", exchange.GetParameter("ref") ?? exchange.GetParameter("uuid") ?? string.Empty);
            builder.Add(vm);
        }

        var metadata = builder.Build();
        using var buffer = new MemoryStream();
        var tar = new TarWriter(buffer);
        await tar.WriteEntryAsync("ova.xml", metadata.ToUtf8(), pool.Time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        transfer.PrepareOk(
            "1.0",
            ("Server", ExportHandler.ServerHeader(pool)),
            ("content-type", "application/octet-stream"),
            ("Content-Length", buffer.Length.ToString(CultureInfo.InvariantCulture)),
            ("Content-Disposition", "attachment; filename=\"export.xva\""));
        var wire = new TransferOutputStream(exchange.ResponseBody, transfer.Faults, pool.Time);
        await using (wire.ConfigureAwait(false))
        {
            await wire.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
            await wire.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        transfer.Complete(null);
    }
}
