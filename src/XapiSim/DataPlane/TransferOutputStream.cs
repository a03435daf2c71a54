namespace XapiSim.DataPlane;

/// <summary>
/// The wire side of an export body: counts bytes and applies the <see cref="TransferFaults"/> that act on the byte stream
/// (stall before/within the body, cut after N bytes). Writes go straight to the response body; nothing is buffered.
/// Does not own the inner stream.
/// </summary>
internal sealed class TransferOutputStream(Stream inner, TransferFaults faults, TimeProvider time) : Stream
{
    private readonly long? _cutAfter = faults.CutExportAfterBytes;
    private readonly TimeSpan _stallBefore = faults.StallBeforeBody;
    private readonly TimeSpan _stallWithin = faults.StallWithinBody;
    private readonly long _stallAfter = faults.StallAfterBytes;
    private bool _stalledBefore;
    private bool _stalledWithin;

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_stalledBefore)
        {
            _stalledBefore = true;
            if (_stallBefore > TimeSpan.Zero)
            {
                await Task.Delay(_stallBefore, time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_stalledWithin && _stallWithin > TimeSpan.Zero && BytesWritten + buffer.Length > _stallAfter)
        {
            var before = (int)Math.Max(0, _stallAfter - BytesWritten);
            await inner.WriteAsync(buffer[..before], cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            BytesWritten += before;
            buffer = buffer[before..];
            _stalledWithin = true;
            await Task.Delay(_stallWithin, time, cancellationToken).ConfigureAwait(false);
        }

        if (_cutAfter is { } cut && BytesWritten + buffer.Length > cut)
        {
            var allowed = (int)Math.Max(0, cut - BytesWritten);
            await inner.WriteAsync(buffer[..allowed], cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            BytesWritten += allowed;
            throw new TransferCutException($"export cut by fault injection after {cut} bytes");
        }

        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
        => WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
        => WriteAsync(buffer.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
