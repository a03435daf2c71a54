using System.Buffers;
using System.Buffers.Binary;
using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Vhd;

/// <summary>
/// Reads a dynamic or differencing VHD from a forward-only (non-seekable) stream, as XAPI's export produces it: the
/// footer copy at 0, the header and BAT before the blocks, blocks laid out after the BAT (any BAT order, increasing file
/// offsets) and the footer last. Present sectors are emitted as they stream past; the trailing footer must match the copy.
/// Damage raises <see cref="VhdFormatException"/>; a stream that ends early is never a silent short read.
/// </summary>
public static class VhdStreamReader
{
    /// <summary>Reads the whole stream, writing present data to <paramref name="sink"/>.</summary>
    public static async Task<VhdStreamReadResult> ReadAsync(Stream input, IDiskSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sink);
        var reader = new ForwardReader(input);
        var copyBytes = new byte[VhdFooter.Size];
        await reader.ReadExactlyAsync(copyBytes, "footer copy", cancellationToken).ConfigureAwait(false);
        var footer = VhdFooter.Parse(copyBytes, 0);
        if (footer.DiskType == VhdDiskType.Fixed)
        {
            throw new VhdFormatException("VHD at offset 0 starts with a fixed-disk footer; a streamed VHD must be dynamic or differencing", "footer.disk_type", 60);
        }

        var headerOffset = (long)footer.DataOffset;
        if (footer.DataOffset < VhdFooter.Size || footer.DataOffset > long.MaxValue)
        {
            throw new VhdFormatException($"VHD footer data offset {footer.DataOffset} (field at offset 16) points backwards or nowhere", "footer.data_offset", 16);
        }

        await reader.SkipToAsync(headerOffset, "header", cancellationToken).ConfigureAwait(false);
        var headerBytes = new byte[VhdHeader.Size];
        await reader.ReadExactlyAsync(headerBytes, "header", cancellationToken).ConfigureAwait(false);
        var header = VhdHeader.Parse(headerBytes, headerOffset);
        var needed = ((long)footer.CurrentSize + header.BlockSize - 1) / header.BlockSize;
        if (header.MaxTableEntries < needed)
        {
            throw new VhdFormatException($"VHD header max table entries {header.MaxTableEntries} (field at offset {headerOffset + 28}) is below the {needed} blocks of a {footer.CurrentSize}-byte disk", "header.max_table_entries", headerOffset + 28);
        }

        var batOffset = (long)header.TableOffset;
        if (header.TableOffset > long.MaxValue || batOffset < reader.Position)
        {
            throw new VhdFormatException($"VHD BAT offset {header.TableOffset} (field at offset {headerOffset + 16}) lies before offset {reader.Position}; this stream cannot go back", "header.table_offset", headerOffset + 16);
        }

        await reader.SkipToAsync(batOffset, "BAT", cancellationToken).ConfigureAwait(false);
        var batBytes = header.MaxTableEntries * 4L;
        var raw = new byte[batBytes];
        await reader.ReadExactlyAsync(raw, "BAT", cancellationToken).ConfigureAwait(false);
        var bat = new uint[header.MaxTableEntries];
        for (var i = 0; i < bat.Length; i++)
        {
            bat[i] = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(i * 4));
        }

        VhdReader.ValidateBat(bat, header, headerOffset, batOffset, batBytes, long.MaxValue, (long)footer.CurrentSize);
        var order = Enumerable.Range(0, bat.Length).Where(i => bat[i] != VhdReader.Unallocated).OrderBy(i => bat[i]).ToArray();
        var bitmapSize = header.BitmapSize;
        var blockSize = (int)header.BlockSize;
        var buffer = ArrayPool<byte>.Shared.Rent(bitmapSize + blockSize);
        long written = 0;
        try
        {
            foreach (var i in order)
            {
                var position = bat[i] * 512L;
                if (position < reader.Position)
                {
                    throw new VhdFormatException($"BAT[{i}] (at offset {batOffset + (i * 4L)}) points at offset {position}, before the end of the BAT at {reader.Position}", $"BAT[{i}]", batOffset + (i * 4L));
                }

                await reader.SkipToAsync(position, $"block[{i}]", cancellationToken).ConfigureAwait(false);
                await reader.ReadExactlyAsync(buffer.AsMemory(0, bitmapSize + blockSize), $"block[{i}]", cancellationToken).ConfigureAwait(false);
                written += await VhdBlockEmitter.EmitAsync(sink, (long)i * blockSize, buffer.AsMemory(0, bitmapSize), buffer.AsMemory(bitmapSize, blockSize), (long)footer.CurrentSize, cancellationToken).ConfigureAwait(false);
            }

            // The rest of the stream: keep its last 512 bytes, which must be the footer.
            var tail = new byte[VhdFooter.Size];
            var tailLength = 0;
            while (true)
            {
                var n = await reader.ReadSomeAsync(buffer.AsMemory(0, blockSize), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                if (n >= VhdFooter.Size)
                {
                    buffer.AsSpan(n - VhdFooter.Size, VhdFooter.Size).CopyTo(tail);
                    tailLength = VhdFooter.Size;
                }
                else
                {
                    var keep = Math.Min(tailLength, VhdFooter.Size - n);
                    tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
                    buffer.AsSpan(0, n).CopyTo(tail.AsSpan(keep));
                    tailLength = keep + n;
                }
            }

            var footerOffset = reader.Position - tailLength;
            if (tailLength < VhdFooter.Size)
            {
                throw new VhdFormatException($"VHD stream truncated: it ends at offset {reader.Position} without the trailing footer", "footer", reader.Position);
            }

            var trailing = VhdFooter.Parse(tail, footerOffset);
            if (trailing with { Checksum = 0 } != footer with { Checksum = 0 })
            {
                throw new VhdFormatException($"VHD footer mismatch: the footer at offset {footerOffset} differs from the copy at offset 0", "footer", footerOffset);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new VhdStreamReadResult(footer, header, bat, written);
    }

    private sealed class ForwardReader(Stream input)
    {
        public long Position { get; private set; }

        public async ValueTask ReadExactlyAsync(Memory<byte> buffer, string what, CancellationToken cancellationToken)
        {
            var got = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            Position += got;
            if (got < buffer.Length)
            {
                throw new VhdFormatException($"VHD stream truncated in the {what} at offset {Position}: {got} of {buffer.Length} bytes", what, Position);
            }
        }

        public async ValueTask<int> ReadSomeAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Position += n;
            return n;
        }

        public async ValueTask SkipToAsync(long target, string what, CancellationToken cancellationToken)
        {
            if (target < Position)
            {
                throw new VhdFormatException($"VHD {what} at offset {target} lies before the stream position {Position}", what, target);
            }

            if (target == Position)
            {
                return;
            }

            var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (Position < target)
                {
                    var n = (int)Math.Min(scratch.Length, target - Position);
                    await ReadExactlyAsync(scratch.AsMemory(0, n), what, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }
}
