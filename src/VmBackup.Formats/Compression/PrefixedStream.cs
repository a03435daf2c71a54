using VmBackup.Formats.Streams;

namespace VmBackup.Formats.Compression;

/// <summary>A read-only stream that first replays bytes already taken from <c>inner</c>, then continues with it.</summary>
internal sealed class PrefixedStream : ForwardOnlyReadStream
{
    private readonly byte[] _prefix;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private int _prefixPosition;
    private long _position;

    internal PrefixedStream(byte[] prefix, Stream inner, bool leaveOpen)
    {
        _prefix = prefix;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = TakePrefix(buffer);
        if (n == 0)
        {
            n = _inner.Read(buffer);
        }

        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = TakePrefix(buffer.Span);
        if (n == 0)
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _prefix.Length - _prefixPosition);
        if (n > 0)
        {
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
        }

        return n;
    }
}
