using System.Buffers;
using VmBackup.Formats.Vhd;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Model.Pool;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>PUT /import_raw_vdi</c>: writes into <c>vdi</c> (ref or uuid) or, with only <c>sr_id</c>/<c>sr_uuid</c> and raw,
/// into a new "Imported VDI" sized by Content-Length. <c>format=raw</c> (default) overwrites from offset 0 (or, with the
/// <c>chunked</c> flag, vhd-tool's framing, see <see cref="ChunkedRawReader"/>); <c>format=vhd</c> overwrites only the
/// sectors present in the VHD (how deltas are applied). Checks in import_raw_vdi.ml's order, each a header-only
/// <c>HTTP/1.0 404</c> and <c>INTERNAL_ERROR</c>: unknown format, <c>chunked</c> with another format than raw
/// ("Cannot handle chunked VHD"), HTTP chunked uploads. Result: <c>&lt;value&gt;OpaqueRef:vdi&lt;/value&gt;</c>.
/// </summary>
internal sealed class RawVdiImportHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VDI.import";
    private const int BufferSize = 1024 * 1024;

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var credentials = await Transfer.AuthenticateAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return;
        }

        var vdi = RequestParameters.RefOrUuid(pool, "VDI", exchange.GetParameter("vdi"));
        var sr = vdi is not null ? pool.Database.GetString("VDI", vdi, "SR") : ImportHandler.TargetSrExplicit(pool, exchange);
        if (sr is not null && await SrLocality.RedirectIfElsewhereAsync(exchange, pool, [sr], cancellationToken).ConfigureAwait(false))
        {
            credentials.Release(pool);
            return;
        }

        using var transfer = Transfer.Start(exchange, pool, credentials, Label);
        await transfer.RunAsync(() => ImportAsync(transfer, vdi, sr, cancellationToken), e => ImportErrors.Map(e, exchange), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ImportAsync(Transfer transfer, string? vdi, string? sr, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        var format = (exchange.GetParameter("format") ?? "raw").ToLowerInvariant();
        var chunked = exchange.GetQueryValue("chunked") is not null || exchange.GetCookie("chunked") is not null;
        if (format is not ("raw" or "vhd" or "tar" or "qcow2"))
        {
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "Unknown format " + exchange.GetParameter("format")));
            await DataPlaneResponses.NotFoundAsync(exchange, "1.0", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (chunked && format != "raw")
        {
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "Cannot handle chunked VHD"));
            await DataPlaneResponses.NotFoundAsync(exchange, "1.0", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (exchange.RequestTransferEncoding is { } encoding)
        {
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "Cannot handle encoding: " + encoding));
            await DataPlaneResponses.NotFoundAsync(exchange, "1.0", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (format is not ("raw" or "vhd"))
        {
            // tar and qcow2 are xapi formats the simulator does not import.
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "Unknown format " + exchange.GetParameter("format")));
            await DataPlaneResponses.NotFoundAsync(exchange, "1.0", cancellationToken).ConfigureAwait(false);
            return;
        }

        var created = false;
        if (vdi is null)
        {
            if (sr is null)
            {
                transfer.Fail(new XenApiFailure("VDI_MISSING", Model.Schema.XapiValues.NullRef, exchange.GetParameter("vdi") ?? string.Empty));
                await DataPlaneResponses.BadRequestAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (format != "raw" || exchange.RequestContentLength is not { } length)
            {
                transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "A VDI is needed to import this format"));
                await DataPlaneResponses.BadRequestAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            }

            vdi = new PoolObjects(pool).CreateEmptyVdi(sr, "Imported VDI", "user", length);
            created = true;
        }

        var disk = pool.DiskOf(vdi) ?? throw new XenApiFailure("VDI_MISSING", pool.Database.GetString("VDI", vdi, "SR"), vdi);
        transfer.PrepareOk("1.1", ("content-type", "application/octet-stream"));
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var total = exchange.RequestContentLength ?? 0;
            var sink = new StoreDiskSink(pool.Disks, disk, () => transfer.Progress(exchange.RequestBodyBytesRead, total));
            if (format == "vhd")
            {
                await VhdStreamReader.ReadAsync(exchange.RequestBody, sink, cancellationToken).ConfigureAwait(false);
            }
            else if (chunked)
            {
                await ChunkedRawReader.ReadAsync(exchange.RequestBody, sink, pool.Disks.GetVirtualSize(disk), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadRawAsync(exchange.RequestBody, sink, pool.Disks.GetVirtualSize(disk), cancellationToken).ConfigureAwait(false);
            }

            if (exchange.RequestBodyIncomplete)
            {
                throw new EndOfStreamException("the upload ended before its Content-Length");
            }
        }
        catch (Exception) when (created)
        {
            pool.DropDisk(vdi);
            pool.Database.Destroy(vdi);
            throw;
        }

        pool.Database.Set("VDI", vdi, "physical_utilisation", pool.Disks.GetPhysicalUtilisation(disk));
        new PoolObjects(pool).RefreshSrUsage(pool.Database.GetString("VDI", vdi, "SR"));
        transfer.ThrowIfCancelled();
        transfer.Complete(vdi);
    }

    private static async Task ReadRawAsync(Stream body, StoreDiskSink sink, long size, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long offset = 0;
            while (true)
            {
                var n = await body.ReadAtLeastAsync(buffer.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                if (offset + n > size)
                {
                    throw new XenApiFailure("INTERNAL_ERROR", $"the upload is larger than the VDI ({size} bytes)");
                }

                await sink.WriteAsync(offset, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
