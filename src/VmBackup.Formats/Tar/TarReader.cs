using System.Buffers;
using System.Text;

namespace VmBackup.Formats.Tar;

/// <summary>
/// A streaming tar reader over a non-seekable stream. Accepts V7, ustar (name prefix), GNU (long names <c>L</c>,
/// base-256 numbers) and pax <c>path</c>/<c>size</c> records. Every header checksum is verified. A stream that ends
/// inside a header or inside entry data, or without the end-of-archive zero block, raises
/// <see cref="TarFormatException"/> naming the entry and offset. Does not own the stream. Not thread-safe.
/// </summary>
public sealed class TarReader
{
    private const int MaxMetadataSize = 1024 * 1024;
    private readonly Stream _input;
    private readonly byte[] _block = new byte[TarHeaderBlock.BlockSize];
    private TarEntryHeader? _current;
    private long _remaining;
    private int _padding;
    private bool _ended;

    /// <summary>Creates a reader over <paramref name="input"/>, whose current position is tar offset 0.</summary>
    public TarReader(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
    }

    /// <summary>Bytes of tar consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>The entry whose data is being read, if any.</summary>
    public TarEntryHeader? Current => _current;

    /// <summary>Data bytes of the current entry not read yet.</summary>
    public long RemainingInEntry => _remaining;

    /// <summary>
    /// Skips what is left of the current entry and reads the next header; returns null at the end-of-archive marker.
    /// </summary>
    public async ValueTask<TarEntryHeader?> ReadNextEntryAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return null;
        }

        await SkipRestOfEntryAsync(cancellationToken).ConfigureAwait(false);
        string? longName = null;
        long? paxSize = null;
        while (true)
        {
            var headerOffset = Position;
            var got = await ReadBlockAsync(cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                throw new TarFormatException(
                    $"tar stream ends at offset {headerOffset} without the end-of-archive marker (truncated after entry '{_current?.Name}')",
                    _current?.Name,
                    headerOffset);
            }

            if (got < TarHeaderBlock.BlockSize)
            {
                throw new TarFormatException(
                    $"tar stream truncated inside the header at offset {headerOffset} (only {got} of 512 bytes)",
                    _current?.Name,
                    headerOffset);
            }

            if (TarHeaderBlock.IsZero(_block))
            {
                _ended = true;
                _current = null;
                await ReadBlockAsync(cancellationToken).ConfigureAwait(false); // second zero block, if present
                return null;
            }

            var rawName = TarHeaderBlock.ReadString(_block.AsSpan(0, 100));
            if (!TarHeaderBlock.ChecksumMatches(_block, out var stored, out var computed))
            {
                throw new TarFormatException(
                    $"tar header checksum mismatch for entry '{rawName}' at offset {headerOffset}: stored {stored}, computed {computed}",
                    rawName,
                    headerOffset);
            }

            if (!TarHeaderBlock.TryParseNumber(_block.AsSpan(124, 12), out var size))
            {
                throw new TarFormatException($"tar header of entry '{rawName}' at offset {headerOffset} has an invalid size field", rawName, headerOffset);
            }

            if (!TarHeaderBlock.TryParseNumber(_block.AsSpan(136, 12), out var mtime))
            {
                mtime = 0;
            }

            var typeFlag = _block[156];
            var name = rawName;
            var magic = Encoding.ASCII.GetString(_block, 257, 6);
            if (magic == "ustar\0")
            {
                var prefix = TarHeaderBlock.ReadString(_block.AsSpan(345, 155));
                if (prefix.Length > 0)
                {
                    name = prefix + "/" + rawName;
                }
            }

            if (typeFlag is (byte)'L' or (byte)'K' or (byte)'x' or (byte)'g')
            {
                if (size > MaxMetadataSize)
                {
                    throw new TarFormatException($"tar metadata entry '{rawName}' at offset {headerOffset} is too large ({size} bytes)", rawName, headerOffset);
                }

                var data = new byte[size];
                _current = new TarEntryHeader(rawName, size, mtime, typeFlag, headerOffset, Position);
                _remaining = size;
                _padding = Padding(size);
                await ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                await SkipRestOfEntryAsync(cancellationToken).ConfigureAwait(false);
                if (typeFlag == (byte)'L')
                {
                    longName = TarHeaderBlock.ReadString(data);
                }
                else if (typeFlag == (byte)'x')
                {
                    ParsePax(data, ref longName, ref paxSize);
                }

                continue;
            }

            var header = new TarEntryHeader(longName ?? name, paxSize ?? size, mtime, typeFlag, headerOffset, Position);
            _current = header;
            var hasData = typeFlag is not ((byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6');
            _remaining = hasData ? header.Size : 0;
            _padding = hasData ? Padding(header.Size) : 0;
            return header;
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes of the current entry; 0 at the end of the entry.</summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, _remaining);
        var n = await _input.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            var entry = _current!;
            throw new TarFormatException(
                $"tar entry '{entry.Name}' truncated at offset {Position}: {entry.Size - _remaining} of {entry.Size} data bytes present (entry data starts at offset {entry.DataOffset})",
                entry.Name,
                Position);
        }

        _remaining -= n;
        Position += n;
        return n;
    }

    /// <summary>Fills <paramref name="buffer"/> from the current entry or throws <see cref="TarFormatException"/>.</summary>
    public async ValueTask ReadDataExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length > _remaining)
        {
            var entry = _current;
            throw new TarFormatException(
                $"tar entry '{entry?.Name}' has only {_remaining} data bytes left at offset {Position}, {buffer.Length} were requested",
                entry?.Name,
                Position);
        }

        while (!buffer.IsEmpty)
        {
            var n = await ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer = buffer[n..];
        }
    }

    private static int Padding(long size) => (int)((TarHeaderBlock.BlockSize - (size % TarHeaderBlock.BlockSize)) % TarHeaderBlock.BlockSize);

    private static void ParsePax(byte[] data, ref string? path, ref long? size)
    {
        var position = 0;
        while (position < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, position, space - position), out var length) || length <= 0 || position + length > data.Length)
            {
                return;
            }

            var record = Encoding.UTF8.GetString(data, space + 1, position + length - space - 2);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                var key = record[..equals];
                var value = record[(equals + 1)..];
                if (key == "path")
                {
                    path = value;
                }
                else if (key == "size" && long.TryParse(value, out var parsed))
                {
                    size = parsed;
                }
            }

            position += length;
        }
    }

    private async ValueTask SkipRestOfEntryAsync(CancellationToken cancellationToken)
    {
        if (_remaining > 0)
        {
            var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (_remaining > 0)
                {
                    await ReadDataAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, _remaining)), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        if (_padding > 0)
        {
            var got = await _input.ReadAtLeastAsync(_block.AsMemory(0, _padding), _padding, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            Position += got;
            if (got < _padding)
            {
                throw new TarFormatException(
                    $"tar entry '{_current?.Name}' truncated in its padding at offset {Position}",
                    _current?.Name,
                    Position);
            }

            _padding = 0;
        }
    }

    private async ValueTask<int> ReadBlockAsync(CancellationToken cancellationToken)
    {
        var got = await _input.ReadAtLeastAsync(_block, TarHeaderBlock.BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Position += got;
        return got;
    }
}
