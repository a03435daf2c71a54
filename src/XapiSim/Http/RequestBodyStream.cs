namespace XapiSim.Http;

/// <summary>The read-only request body of one exchange.</summary>
internal abstract class RequestBodyStream : Stream
{
    /// <summary>True once the body has been read to its end (the connection can serve another request).</summary>
    public abstract bool IsComplete { get; }

    /// <summary>True if the framing broke (early close, bad chunk): the connection cannot be reused.</summary>
    public bool IsBroken { get; private set; }

    public long BytesRead { get; protected set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected void MarkBroken() => IsBroken = true;
}
