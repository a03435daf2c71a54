namespace VmBackup.Formats.Streams;

/// <summary>
/// Base of the write-only, non-seekable streams of the data path: the array overloads forward to the span/memory ones,
/// and everything a forward-only writer cannot do throws <see cref="NotSupportedException"/>. Subclasses implement
/// <see cref="Write(ReadOnlySpan{byte})"/>, <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>,
/// <see cref="Stream.Flush"/> and <see cref="Stream.Position"/> (bytes written so far).
/// </summary>
public abstract class ForwardOnlyWriteStream : Stream
{
    /// <inheritdoc />
    public sealed override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    /// <inheritdoc />
    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
