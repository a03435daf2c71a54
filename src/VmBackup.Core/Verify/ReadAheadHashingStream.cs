using System.Buffers;
using System.Security.Cryptography;
using VmBackup.Formats.Streams;

namespace VmBackup.Core.Verify;

/// <summary>
/// A forward-only read stream over a file that reads ahead in large blocks (two pooled buffers) and feeds every block
/// to SHA-256 as it arrives, on a worker thread, while the consumer parses the previous block. So the digest of the
/// whole file comes out of the one pass the parser makes; <see cref="DrainAsync"/> reads what the parser left (tar
/// padding, a compressed stream's trailer) so that the digest always covers the whole file.
/// </summary>
internal sealed class ReadAheadHashingStream : ForwardOnlyReadStream
{
    private readonly Stream _file;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[][] _buffers;
    private readonly CancellationToken _cancellationToken;
    private Task<int>? _pending;
    private int _pendingIndex;
    private byte[]? _current;
    private int _currentLength;
    private int _currentPosition;
    private long _position;
    private bool _endOfFile;
    private bool _disposed;

    public ReadAheadHashingStream(Stream file, int bufferSize, CancellationToken cancellationToken)
    {
        _file = file;
        _cancellationToken = cancellationToken;
        _buffers = [ArrayPool<byte>.Shared.Rent(bufferSize), ArrayPool<byte>.Shared.Rent(bufferSize)];
        StartFetch(0);
    }

    /// <summary>Bytes handed to the consumer so far.</summary>
    public long BytesConsumed => _position;

    /// <summary>Bytes read from the file so far (ahead of <see cref="BytesConsumed"/>).</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => !_disposed;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the rest of the file; returns the number of bytes that were left.</summary>
    public async Task<long> DrainAsync(CancellationToken cancellationToken)
    {
        long drained = 0;
        while (await NextBlockAsync(cancellationToken).ConfigureAwait(false))
        {
            drained += _currentLength - _currentPosition;
            _position += _currentLength - _currentPosition;
            _currentPosition = _currentLength;
        }

        return drained;
    }

    /// <summary>The SHA-256 of the whole file (lower-case hex). Call after <see cref="DrainAsync"/>.</summary>
    public string GetSha256()
    {
        if (!_endOfFile)
        {
            throw new InvalidOperationException("the file was not read to the end");
        }

        return Convert.ToHexStringLower(_sha256.GetCurrentHash());
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_currentPosition == _currentLength && !await NextBlockAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _currentLength - _currentPosition);
        _current.AsSpan(_currentPosition, n).CopyTo(buffer.Span);
        _currentPosition += n;
        _position += n;
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_currentPosition == _currentLength && !NextBlockAsync(_cancellationToken).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _currentLength - _currentPosition);
        _current.AsSpan(_currentPosition, n).CopyTo(buffer);
        _currentPosition += n;
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _pending?.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // The fetch failed or was cancelled; its error was (or will never be) reported by a read.
            }

            ArrayPool<byte>.Shared.Return(_buffers[0]);
            ArrayPool<byte>.Shared.Return(_buffers[1]);
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<bool> NextBlockAsync(CancellationToken cancellationToken)
    {
        if (_endOfFile || _pending is null)
        {
            return false;
        }

        var n = await _pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        _pending = null;
        if (n == 0)
        {
            _endOfFile = true;
            return false;
        }

        _current = _buffers[_pendingIndex];
        _currentLength = n;
        _currentPosition = 0;
        StartFetch(1 - _pendingIndex);
        return true;
    }

    private void StartFetch(int index)
    {
        _pendingIndex = index;
        var buffer = _buffers[index];
        _pending = Task.Run(
            async () =>
            {
                var n = await _file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, _cancellationToken).ConfigureAwait(false);
                _sha256.AppendData(buffer, 0, n);
                BytesRead += n;
                return n;
            },
            _cancellationToken);
    }
}
