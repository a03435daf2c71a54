using System.Buffers;

namespace XapiSim.Http;

/// <summary>
/// The read side of one connection: a pooled buffer over the transport, used to find the end of a request head
/// and then to serve the body. Large body reads bypass the buffer and go straight to the transport.
/// </summary>
internal sealed class ConnectionReader : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;

    private readonly Stream _transport;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public ConnectionReader(Stream transport)
    {
        _transport = transport;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>True once the transport reported end of stream.</summary>
    public bool AtEndOfStream { get; private set; }

    /// <summary>
    /// Reads up to and including the blank line that ends a request head. Returns the head without the final
    /// CRLFCRLF, or null when the connection closed before the first byte. Throws <see cref="RequestHeadTooLargeException"/>
    /// when no terminator appears within <paramref name="maxBytes"/> bytes and <see cref="EndOfStreamException"/>
    /// when the peer closes mid-head.
    /// </summary>
    public async ValueTask<byte[]?> ReadHeadAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var searchFrom = Math.Max(0, scanned - (HeadTerminator.Length - 1));
            var index = available[searchFrom..].IndexOf(HeadTerminator);
            if (index >= 0)
            {
                var headLength = searchFrom + index;
                if (headLength + HeadTerminator.Length > maxBytes)
                {
                    throw new RequestHeadTooLargeException();
                }

                var head = available[..headLength].ToArray();
                _start += headLength + HeadTerminator.Length;
                return head;
            }

            scanned = available.Length;
            if (scanned >= maxBytes)
            {
                throw new RequestHeadTooLargeException();
            }

            if (_start > 0 && _end == _buffer.Length)
            {
                Compact();
            }

            var read = await _transport.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                AtEndOfStream = true;
                if (scanned == 0)
                {
                    return null;
                }

                throw new EndOfStreamException("The client closed the connection in the middle of a request head.");
            }

            _end += read;
        }
    }

    /// <summary>Reads body bytes: buffered bytes first, then the transport. Returns 0 only at end of stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (_end > _start)
        {
            return CopyBuffered(destination.Span);
        }

        if (destination.Length >= BufferSize / 2)
        {
            var direct = await _transport.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            AtEndOfStream |= direct == 0;
            return direct;
        }

        if (!await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return CopyBuffered(destination.Span);
    }

    /// <summary>Synchronous <see cref="ReadAsync"/>.</summary>
    public int Read(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (_end > _start)
        {
            return CopyBuffered(destination);
        }

        if (destination.Length >= BufferSize / 2)
        {
            var direct = _transport.Read(destination);
            AtEndOfStream |= direct == 0;
            return direct;
        }

        _start = 0;
        _end = _transport.Read(_buffer);
        AtEndOfStream |= _end == 0;
        return CopyBuffered(destination);
    }

    /// <summary>Reads one CRLF- (or LF-) terminated line of at most <paramref name="maxBytes"/> bytes, without the terminator.</summary>
    public async ValueTask<string> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (index >= 0)
            {
                var line = _buffer.AsSpan(_start, index);
                _start += index + 1;
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line = line[..^1];
                }

                return System.Text.Encoding.Latin1.GetString(line);
            }

            if (_end - _start > maxBytes)
            {
                throw new InvalidDataException("Line too long in chunked request body.");
            }

            if (_start > 0)
            {
                Compact();
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidDataException("Line too long in chunked request body.");
            }

            var read = await _transport.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                AtEndOfStream = true;
                throw new EndOfStreamException("The client closed the connection in a chunked body.");
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _transport.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        AtEndOfStream |= _end == 0;
        return _end > 0;
    }

    private int CopyBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    private void Compact()
    {
        var length = _end - _start;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, length);
        _start = 0;
        _end = length;
    }
}
