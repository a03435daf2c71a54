using System.Buffers;
using System.Buffers.Binary;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// Reads vhd-tool's "chunked" protocol (chunked.ml, <c>serve_chunked_to_raw</c>) into a disk, as
/// <c>PUT /import_raw_vdi?format=raw&amp;chunked</c> runs it: records of a u64 little-endian offset and a u32
/// little-endian length, each followed by that many data bytes, until a (0, 0) record; only the given ranges are written
/// and anything after the end record is not read. Streams through one pooled buffer. A body that ends inside a record or
/// a range reaching past the disk's end makes vhd-tool exit non-zero, which xapi (vhd_tool_wrapper.ml) reports as
/// <c>VDI_IO_ERROR ["Device I/O errors"]</c>; the data before the failing point stays written, as on a block device.
/// </summary>
internal static class ChunkedRawReader
{
    /// <summary>Size of a record header (u64 offset, u32 length).</summary>
    public const int HeaderSize = 12;

    private const int BufferSize = 1024 * 1024;

    /// <summary>Copies every record of <paramref name="body"/> into <paramref name="sink"/>; <paramref name="size"/> is the disk's size.</summary>
    public static async Task ReadAsync(Stream body, StoreDiskSink sink, long size, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                await ReadOrFailAsync(body, buffer.AsMemory(0, HeaderSize), cancellationToken).ConfigureAwait(false);
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
                long length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8, 4));
                if (offset == 0 && length == 0)
                {
                    return;
                }

                while (length > 0)
                {
                    var n = (int)Math.Min(length, BufferSize);
                    var data = buffer.AsMemory(0, n);
                    await ReadOrFailAsync(body, data, cancellationToken).ConfigureAwait(false);
                    if (offset >= (ulong)size || (ulong)n > (ulong)size - offset)
                    {
                        var fits = offset >= (ulong)size ? 0 : (int)((ulong)size - offset);
                        if (fits > 0)
                        {
                            await sink.WriteAsync((long)offset, data[..fits], cancellationToken).ConfigureAwait(false);
                        }

                        throw DeviceIoError();
                    }

                    await sink.WriteAsync((long)offset, data, cancellationToken).ConfigureAwait(false);
                    offset += (ulong)n;
                    length -= n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>What xapi reports when vhd-tool exits non-zero.</summary>
    public static XenApiFailure DeviceIoError() => new("VDI_IO_ERROR", "Device I/O errors");

    private static async Task ReadOrFailAsync(Stream body, Memory<byte> target, CancellationToken cancellationToken)
    {
        try
        {
            await body.ReadExactlyAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw DeviceIoError();
        }
    }
}
