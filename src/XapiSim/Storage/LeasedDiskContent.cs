namespace XapiSim.Storage;

/// <summary>A <see cref="SparseDiskStore"/> disk held by a lease, which keeps its layers alive until released.</summary>
internal sealed class LeasedDiskContent(SparseDiskStore store, VirtualDisk disk) : IDiskContent
{
    public long VirtualSize => disk.VirtualSize;

    public int Read(long offset, Span<byte> buffer) => store.ReadDisk(disk, offset, buffer);

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        store.ReadDiskAsync(disk, offset, buffer, cancellationToken);

    public void Write(long offset, ReadOnlySpan<byte> data) => store.WriteDisk(disk, offset, data);

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        store.WriteDiskAsync(disk, offset, data, cancellationToken);

    public void Release() => disk.ReleaseLease();
}
