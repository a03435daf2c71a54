namespace XapiSim.Http;

/// <summary>
/// The response body of one exchange. Writes go straight to the connection's transport (socket or TLS stream),
/// after the response head on the first write. Writing past a declared Content-Length throws.
/// </summary>
internal sealed class ResponseBodyStream(HttpExchange exchange) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => exchange.ResponseBytesWritten;
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => exchange.WriteBodyAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => exchange.WriteBodyAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => exchange.WriteBody(buffer);

    public override void Write(byte[] buffer, int offset, int count) => exchange.WriteBody(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => exchange.FlushResponseAsync(cancellationToken);

    public override void Flush() => exchange.FlushResponseAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
