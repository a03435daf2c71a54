using System.Buffers;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Vhd;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// <c>GET /export_raw_vdi</c>: one VDI as <c>raw</c> (the whole disk, close-delimited), <c>vhd</c> (XAPI's stream layout,
/// dynamic, or differencing against <c>base</c>), <c>tar</c> (<c>vdi/%08d</c> chunks with <c>.xxhash</c>); <c>qcow2</c>
/// is accepted and then fails as xapi fails a copy (task error, connection closed). Unknown formats: 404 and
/// <c>INTERNAL_ERROR ["Unknown format x"]</c>.
/// </summary>
internal sealed class RawVdiExportHandler(SimulatedPool pool) : IHttpHandler
{
    private const string Label = "VDI.export_raw";
    private const int ChunkSize = 1024 * 1024;
    private const long MaxVhdSize = 2040L * 1024 * 1024 * 1024;

    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var credentials = await Transfer.AuthenticateAsync(exchange, pool, Label, cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return;
        }

        var vdi = RequestParameters.RefOrUuid(pool, "VDI", exchange.GetParameter("vdi"));
        if (vdi is not null && await SrLocality.RedirectIfElsewhereAsync(exchange, pool, [pool.Database.GetString("VDI", vdi, "SR")], cancellationToken).ConfigureAwait(false))
        {
            credentials.Release(pool);
            return;
        }

        using var transfer = Transfer.Start(exchange, pool, credentials, "Exporting raw VDI");
        await transfer.RunAsync(() => ExportAsync(transfer, vdi, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ExportAsync(Transfer transfer, string? vdi, CancellationToken cancellationToken)
    {
        var exchange = transfer.Exchange;
        transfer.ApplyFailFault();
        if (vdi is null)
        {
            throw new XenApiFailure("INTERNAL_ERROR", exchange.GetParameter("vdi") is null ? "Missing vdi query parameter" : "VDI not found: " + exchange.GetParameter("vdi"));
        }

        var format = (exchange.GetParameter("format") ?? "raw").ToLowerInvariant();
        if (format is not ("raw" or "vhd" or "tar" or "qcow2"))
        {
            transfer.Fail(new XenApiFailure("INTERNAL_ERROR", "Unknown format " + exchange.GetParameter("format")));
            await DataPlaneResponses.NotFoundAsync(exchange, "1.0", cancellationToken).ConfigureAwait(false);
            return;
        }

        var db = pool.Database;
        var uuid = db.GetString("VDI", vdi, "uuid");
        var baseParam = exchange.GetParameter("base");
        var baseVdi = baseParam is null ? null : RequestParameters.RefOrUuid(pool, "VDI", baseParam) ?? throw new XenApiFailure("HANDLE_INVALID", "VDI", baseParam);
        var (contentType, extension) = format switch
        {
            "vhd" => ("application/vhd", "vhd"),
            "tar" => ("application/x-tar", "tar"),
            "qcow2" => ("application/x-qemu-disk", "qcow2"),
            _ => ("application/octet-stream", "raw"),
        };
        transfer.PrepareOk("1.1", ("content-type", contentType), ("content-disposition", $"attachment; filename=\"{uuid}.{extension}\""));
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        var disk = pool.DiskOf(vdi) ?? throw new XenApiFailure("VDI_MISSING", db.GetString("VDI", vdi, "SR"), vdi);
        var baseDisk = baseVdi is null ? null : pool.DiskOf(baseVdi) ?? throw new XenApiFailure("VDI_MISSING", db.GetString("VDI", baseVdi, "SR"), baseVdi);
        var size = pool.Disks.GetVirtualSize(disk);
        var wire = new TransferOutputStream(exchange.ResponseBody, transfer.Faults, pool.Time);
        await using (wire.ConfigureAwait(false))
        {
            switch (format)
            {
                case "raw":
                    await WriteRawAsync(transfer, wire, disk, baseDisk, size, cancellationToken).ConfigureAwait(false);
                    break;
                case "vhd":
                    if (size > MaxVhdSize)
                    {
                        throw new XenApiFailure("VDI_TOO_LARGE", vdi, MaxVhdSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    await WriteVhdAsync(transfer, wire, disk, baseVdi, baseDisk, cancellationToken).ConfigureAwait(false);
                    break;
                case "tar":
                    var tar = new TarWriter(wire);
                    var writer = new XvaStreamWriter(transfer, pool.Disks, tar);
                    await writer.WriteDisksAsync([new ExportDisk("vdi", vdi, disk, size)], size, cancellationToken).ConfigureAwait(false);
                    await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new XenApiFailure("INTERNAL_ERROR", "qcow2 export is not implemented by the simulator");
            }

            await wire.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        transfer.ThrowIfCancelled();
        transfer.Complete(null);
    }

    private async Task WriteRawAsync(Transfer transfer, Stream wire, string disk, string? baseDisk, long size, CancellationToken cancellationToken)
    {
        var blocks = baseDisk is null ? pool.Disks.GetAllocatedBlocks(disk, ChunkSize) : pool.Disks.GetDifferingBlocks(baseDisk, disk, ChunkSize);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var zeros = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            zeros.AsSpan(0, ChunkSize).Clear();
            for (long offset = 0, index = 0; offset < size; offset += ChunkSize, index++)
            {
                transfer.Progress(offset, size);
                var length = (int)Math.Min(ChunkSize, size - offset);
                if (index < blocks.Length && blocks[index])
                {
                    var data = buffer.AsMemory(0, length);
                    var done = 0;
                    while (done < length)
                    {
                        var n = await pool.Disks.ReadAsync(disk, offset + done, data[done..], cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            data.Span[done..].Clear();
                            break;
                        }

                        done += n;
                    }

                    await wire.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await wire.WriteAsync(zeros.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(zeros);
        }
    }

    private async Task WriteVhdAsync(Transfer transfer, Stream wire, string disk, string? baseVdi, string? baseDisk, CancellationToken cancellationToken)
    {
        var source = new StoreDiskSource(pool.Disks, disk, transfer);
        var options = new VhdWriterOptions { UniqueId = VhdIdentity.UniqueId(disk) };
        if (baseVdi is null || baseDisk is null)
        {
            var allocated = pool.Disks.GetAllocatedBlocks(disk, (int)VhdHeader.DefaultBlockSize);
            await VhdWriter.WriteDynamicAsync(wire, source, Indices(allocated), options, cancellationToken).ConfigureAwait(false);
            return;
        }

        var differing = pool.Disks.GetDifferingBlocks(baseDisk, disk, (int)VhdHeader.DefaultBlockSize);
        var parent = VhdIdentity.ParentOf(pool, baseVdi, baseDisk);
        await VhdWriter.WriteDifferencingAsync(wire, source, Indices(differing), parent, options, cancellationToken).ConfigureAwait(false);
    }

    private static List<long> Indices(bool[] blocks)
    {
        var result = new List<long>();
        for (var i = 0; i < blocks.Length; i++)
        {
            if (blocks[i])
            {
                result.Add(i);
            }
        }

        return result;
    }
}
