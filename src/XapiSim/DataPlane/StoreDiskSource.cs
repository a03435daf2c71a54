using VmBackup.Formats.Disks;
using XapiSim.Storage;

namespace XapiSim.DataPlane;

/// <summary>
/// A disk of the store as an <see cref="IDiskSource"/> for the format writers: allocated extents from the store, reads
/// straight from it, and each read reports progress (and checks for cancellation) through the transfer.
/// </summary>
internal sealed class StoreDiskSource(IDiskStore store, string diskId, Transfer? transfer) : IDiskSource
{
    public long Size { get; } = store.GetVirtualSize(diskId);

    public ValueTask<IReadOnlyList<DiskExtent>> GetAllocatedExtentsAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<IReadOnlyList<DiskExtent>>([.. store.GetAllocatedExtents(diskId).Select(e => new DiskExtent(e.Offset, e.Length))]);

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        transfer?.Progress(offset, Size);
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await store.ReadAsync(diskId, offset + done, buffer[done..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                buffer.Span[done..].Clear();
                break;
            }

            done += n;
        }
    }
}
