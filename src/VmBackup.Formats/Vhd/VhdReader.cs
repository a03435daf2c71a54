using System.Buffers;
using System.Buffers.Binary;
using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Vhd;

/// <summary>
/// Reads any fixed, dynamic or differencing VHD from a seekable stream (XAPI's, qemu-img's and blktap's layouts:
/// BAT anywhere, blocks in any order, partial sector bitmaps). <see cref="OpenAsync"/> validates the footer(s), header
/// and BAT; <see cref="ReadAsync"/> emits the data present in this file as (offset, data) writes, honouring each block's
/// sector bitmap (MSB first). For a differencing disk, ranges not written come from the parent. Does not own the stream.
/// </summary>
public sealed class VhdReader
{
    private readonly Stream _stream;
    private readonly uint[] _bat;

    private VhdReader(Stream stream, VhdFooter footer, VhdHeader? header, uint[] bat)
    {
        _stream = stream;
        Footer = footer;
        Header = header;
        _bat = bat;
    }

    /// <summary>Marks an unallocated BAT entry.</summary>
    public const uint Unallocated = 0xFFFFFFFF;

    /// <summary>The footer (from the end of the file).</summary>
    public VhdFooter Footer { get; }

    /// <summary>The dynamic header; null for fixed disks.</summary>
    public VhdHeader? Header { get; }

    /// <summary>The BAT: sector offsets per block, <see cref="Unallocated"/> when absent; empty for fixed disks.</summary>
    public IReadOnlyList<uint> Bat => _bat;

    /// <summary>Virtual size in bytes.</summary>
    public long VirtualSize => (long)Footer.CurrentSize;

    /// <summary>Indices of allocated blocks, increasing.</summary>
    public IReadOnlyList<long> AllocatedBlocks => Enumerable.Range(0, _bat.Length).Where(i => _bat[i] != Unallocated).Select(i => (long)i).ToArray();

    /// <summary>Opens and validates a VHD.</summary>
    /// <exception cref="VhdFormatException">The file is damaged; the message names the field and offset.</exception>
    public static async Task<VhdReader> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("VhdReader needs a seekable stream; use VhdStreamReader for forward-only input", nameof(stream));
        }

        var length = stream.Length;
        if (length < VhdFooter.Size)
        {
            throw new VhdFormatException($"VHD file is {length} bytes, too short for a footer (expected at offset {length - VhdFooter.Size})", "footer", Math.Max(0, length - VhdFooter.Size));
        }

        var footerOffset = length - VhdFooter.Size;
        var footerBytes = await ReadAtAsync(stream, footerOffset, VhdFooter.Size, "footer", cancellationToken).ConfigureAwait(false);
        var footer = VhdFooter.Parse(footerBytes, footerOffset);
        if (footer.DiskType == VhdDiskType.Fixed)
        {
            if ((long)footer.CurrentSize > footerOffset)
            {
                throw new VhdFormatException($"fixed VHD is truncated: footer at offset {footerOffset} declares {footer.CurrentSize} bytes of data", "footer.current_size", footerOffset + 48);
            }

            return new VhdReader(stream, footer, null, []);
        }

        var copy = await ReadAtAsync(stream, 0, VhdFooter.Size, "footer copy", cancellationToken).ConfigureAwait(false);
        if (!copy.AsSpan().SequenceEqual(footerBytes))
        {
            var parsedCopy = VhdFooter.Parse(copy, 0);
            if (parsedCopy with { Checksum = 0 } != footer with { Checksum = 0 })
            {
                throw new VhdFormatException($"VHD footer mismatch: the copy at offset 0 differs from the footer at offset {footerOffset}", "footer", footerOffset);
            }
        }

        if (footer.DataOffset < VhdFooter.Size || footer.DataOffset > (ulong)(footerOffset - VhdHeader.Size))
        {
            throw new VhdFormatException($"VHD footer data offset {footer.DataOffset} (field at offset {footerOffset + 16}) is outside the file", "footer.data_offset", footerOffset + 16);
        }

        var headerOffset = (long)footer.DataOffset;
        var headerBytes = await ReadAtAsync(stream, headerOffset, VhdHeader.Size, "header", cancellationToken).ConfigureAwait(false);
        var header = VhdHeader.Parse(headerBytes, headerOffset);
        var bat = await ReadBatAsync(stream, footer, header, headerOffset, footerOffset, cancellationToken).ConfigureAwait(false);
        return new VhdReader(stream, footer, header, bat);
    }

    /// <summary>Emits every present sector range to <paramref name="sink"/>, in block order. Returns the bytes written.</summary>
    /// <exception cref="VhdFormatException">The file shrank or a read came back short.</exception>
    public async Task<long> ReadAsync(IDiskSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Header is null)
        {
            return await ReadFixedAsync(sink, cancellationToken).ConfigureAwait(false);
        }

        var bitmapSize = Header.BitmapSize;
        var blockSize = (int)Header.BlockSize;
        var buffer = ArrayPool<byte>.Shared.Rent(bitmapSize + blockSize);
        long written = 0;
        try
        {
            for (var i = 0; i < _bat.Length; i++)
            {
                if (_bat[i] == Unallocated)
                {
                    continue;
                }

                var position = _bat[i] * 512L;
                _stream.Position = position;
                var got = await _stream.ReadAtLeastAsync(buffer.AsMemory(0, bitmapSize + blockSize), bitmapSize + blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got < bitmapSize + blockSize)
                {
                    throw new VhdFormatException($"VHD block {i} at offset {position} is truncated: {got} of {bitmapSize + blockSize} bytes", $"block[{i}]", position + got);
                }

                written += await VhdBlockEmitter.EmitAsync(sink, (long)i * blockSize, buffer.AsMemory(0, bitmapSize), buffer.AsMemory(bitmapSize, blockSize), VirtualSize, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return written;
    }

    internal static void ValidateBat(uint[] bat, VhdHeader header, long headerOffset, long batOffset, long batBytes, long dataEnd, long virtualSize)
    {
        var blockBytes = header.BitmapSize + (long)header.BlockSize;
        var needed = (virtualSize + header.BlockSize - 1) / header.BlockSize;
        var metadata = new List<(long Start, long End, string What)>
        {
            (0, VhdFooter.Size, "footer copy"),
            (headerOffset, headerOffset + VhdHeader.Size, "header"),
            (batOffset, batOffset + batBytes, "BAT"),
        };
        var blocks = new List<(long Start, long End, int Index)>();
        for (var i = 0; i < bat.Length; i++)
        {
            if (bat[i] == Unallocated)
            {
                continue;
            }

            var entryOffset = batOffset + (i * 4L);
            if (i >= needed)
            {
                throw new VhdFormatException($"BAT[{i}] (at offset {entryOffset}) is allocated but the disk has only {needed} blocks", $"BAT[{i}]", entryOffset);
            }

            var start = bat[i] * 512L;
            if (start >= dataEnd)
            {
                throw new VhdFormatException($"BAT[{i}] (at offset {entryOffset}) points at sector {bat[i]} (offset {start}), beyond the file's data end {dataEnd}", $"BAT[{i}]", entryOffset);
            }

            if (start + blockBytes > dataEnd)
            {
                throw new VhdFormatException($"VHD block {i} at offset {start} is truncated: it needs {blockBytes} bytes but the data ends at {dataEnd} (BAT entry at offset {entryOffset})", $"block[{i}]", start);
            }

            foreach (var m in metadata)
            {
                if (start < m.End && m.Start < start + blockBytes)
                {
                    throw new VhdFormatException($"BAT[{i}] (at offset {entryOffset}) points at offset {start}, overlapping the {m.What} at {m.Start}", $"BAT[{i}]", entryOffset);
                }
            }

            blocks.Add((start, start + blockBytes, i));
        }

        blocks.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var k = 1; k < blocks.Count; k++)
        {
            if (blocks[k].Start < blocks[k - 1].End)
            {
                var i = blocks[k].Index;
                throw new VhdFormatException(
                    $"BAT[{i}] (at offset {batOffset + (i * 4L)}) points at offset {blocks[k].Start}, overlapping block {blocks[k - 1].Index} at {blocks[k - 1].Start}",
                    $"BAT[{i}]",
                    batOffset + (i * 4L));
            }
        }
    }

    private static async Task<uint[]> ReadBatAsync(Stream stream, VhdFooter footer, VhdHeader header, long headerOffset, long footerOffset, CancellationToken cancellationToken)
    {
        var needed = ((long)footer.CurrentSize + header.BlockSize - 1) / header.BlockSize;
        if (header.MaxTableEntries < needed)
        {
            throw new VhdFormatException($"VHD header max table entries {header.MaxTableEntries} (field at offset {headerOffset + 28}) is below the {needed} blocks of a {footer.CurrentSize}-byte disk", "header.max_table_entries", headerOffset + 28);
        }

        var batOffset = (long)header.TableOffset;
        var batBytes = header.MaxTableEntries * 4L;
        if (header.TableOffset > (ulong)footerOffset || batOffset + batBytes > footerOffset)
        {
            throw new VhdFormatException($"VHD BAT at offset {header.TableOffset} ({batBytes} bytes; field at offset {headerOffset + 16}) extends beyond the file's data end {footerOffset}", "header.table_offset", headerOffset + 16);
        }

        var raw = await ReadAtAsync(stream, batOffset, (int)batBytes, "BAT", cancellationToken).ConfigureAwait(false);
        var bat = new uint[header.MaxTableEntries];
        for (var i = 0; i < bat.Length; i++)
        {
            bat[i] = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(i * 4));
        }

        ValidateBat(bat, header, headerOffset, batOffset, batBytes, footerOffset, (long)footer.CurrentSize);
        return bat;
    }

    private static async Task<byte[]> ReadAtAsync(Stream stream, long offset, int count, string what, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        stream.Position = offset;
        var got = await stream.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < count)
        {
            throw new VhdFormatException($"VHD {what} at offset {offset} is truncated: {got} of {count} bytes", what, offset + got);
        }

        return buffer;
    }

    private async Task<long> ReadFixedAsync(IDiskSink sink, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            long offset = 0;
            _stream.Position = 0;
            while (offset < VirtualSize)
            {
                var n = (int)Math.Min(buffer.Length, VirtualSize - offset);
                var got = await _stream.ReadAtLeastAsync(buffer.AsMemory(0, n), n, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got < n)
                {
                    throw new VhdFormatException($"fixed VHD data truncated at offset {offset + got}", "data", offset + got);
                }

                await sink.WriteAsync(offset, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                offset += n;
            }

            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
