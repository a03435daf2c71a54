namespace VmBackup.Formats.Streams;

/// <summary>
/// Base of the read-only, non-seekable streams of the data path: the array overloads forward to the span/memory ones,
/// and everything a forward-only reader cannot do throws <see cref="NotSupportedException"/>. Subclasses implement
/// <see cref="Read(Span{byte})"/>, <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> and
/// <see cref="Stream.Position"/> (bytes read so far).
/// </summary>
public abstract class ForwardOnlyReadStream : Stream
{
    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override bool CanWrite => false;

    /// <inheritdoc />
    public sealed override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);

    /// <inheritdoc />
    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
