using VmBackup.Formats.Disks;
using XapiSim.Storage;

namespace XapiSim.DataPlane;

/// <summary>Writes a format reader's output straight into a disk of the store (each write as it streams past).</summary>
internal sealed class StoreDiskSink(IDiskStore store, string diskId, Action? onWrite) : IDiskSink
{
    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        onWrite?.Invoke();
        await store.WriteAsync(diskId, offset, data, cancellationToken).ConfigureAwait(false);
    }
}
