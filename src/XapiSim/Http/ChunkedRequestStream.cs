using System.Buffers;
using System.Globalization;

namespace XapiSim.Http;

/// <summary>An HTTP/1.1 <c>Transfer-Encoding: chunked</c> request body, decoded. Chunk extensions and trailers are ignored.</summary>
internal sealed class ChunkedRequestStream(ConnectionReader reader) : RequestBodyStream
{
    private const int MaxLineBytes = 4096;
    private long _chunkRemaining;
    private bool _done;

    public override bool IsComplete => _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        if (_chunkRemaining == 0)
        {
            var size = ParseSize(await reader.ReadLineAsync(MaxLineBytes, cancellationToken).ConfigureAwait(false));
            if (size == 0)
            {
                while ((await reader.ReadLineAsync(MaxLineBytes, cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                _done = true;
                return 0;
            }

            _chunkRemaining = size;
        }

        var read = await reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _chunkRemaining)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            MarkBroken();
            throw new EndOfStreamException("The client closed the connection in a chunked body.");
        }

        _chunkRemaining -= read;
        BytesRead += read;
        if (_chunkRemaining == 0 && (await reader.ReadLineAsync(MaxLineBytes, cancellationToken).ConfigureAwait(false)).Length != 0)
        {
            MarkBroken();
            throw new InvalidDataException("Missing CRLF after a chunk.");
        }

        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private long ParseSize(string line)
    {
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var digits = (semicolon < 0 ? line : line[..semicolon]).Trim();
        if (!long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            MarkBroken();
            throw new InvalidDataException("Invalid chunk size.");
        }

        return size;
    }
}
