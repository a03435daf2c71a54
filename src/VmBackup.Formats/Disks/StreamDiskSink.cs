namespace VmBackup.Formats.Disks;

/// <summary>An <see cref="IDiskSink"/> writing into a seekable stream (a raw image). Does not own the stream.</summary>
public sealed class StreamDiskSink : IDiskSink
{
    private readonly Stream _stream;

    /// <summary>Creates the sink.</summary>
    public StreamDiskSink(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite)
        {
            throw new ArgumentException("the raw image stream must be writable and seekable", nameof(stream));
        }

        _stream = stream;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _stream.Position = offset;
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }
}
