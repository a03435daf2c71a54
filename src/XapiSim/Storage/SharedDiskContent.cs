namespace XapiSim.Storage;

/// <summary>A disk of a shared SR folder: reads and writes go to its file in place; nothing to release.</summary>
internal sealed class SharedDiskContent(SharedDisk disk) : IDiskContent
{
    public long VirtualSize => disk.VirtualSize;

    public int Read(long offset, Span<byte> buffer) => SharedFolderDisks.Read(disk, offset, buffer);

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        SharedFolderDisks.ReadAsync(disk, offset, buffer, cancellationToken);

    public void Write(long offset, ReadOnlySpan<byte> data) => SharedFolderDisks.Write(disk, offset, data);

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SharedFolderDisks.WriteAsync(disk, offset, data, cancellationToken);

    public void Release()
    {
    }
}
