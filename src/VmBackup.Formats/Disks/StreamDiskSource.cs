namespace VmBackup.Formats.Disks;

/// <summary>An <see cref="IDiskSource"/> over a seekable stream holding a raw disk image. Does not own the stream.</summary>
public sealed class StreamDiskSource : IDiskSource
{
    private readonly Stream _stream;
    private readonly IReadOnlyList<DiskExtent> _allocated;

    /// <summary>Creates the source.</summary>
    /// <param name="stream">Seekable, readable raw image; its length is the disk size.</param>
    /// <param name="allocated">Ranges that may be non-zero (sorted, disjoint); null means the whole disk.</param>
    public StreamDiskSource(Stream stream, IReadOnlyList<DiskExtent>? allocated = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("the raw image stream must be readable and seekable", nameof(stream));
        }

        _stream = stream;
        Size = stream.Length;
        _allocated = allocated ?? (Size > 0 ? [new DiskExtent(0, Size)] : []);
    }

    /// <inheritdoc />
    public long Size { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DiskExtent>> GetAllocatedExtentsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_allocated);

    /// <inheritdoc />
    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _stream.Position = offset;
        await _stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
    }
}
