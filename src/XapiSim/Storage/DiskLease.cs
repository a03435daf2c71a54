namespace XapiSim.Storage;

/// <summary>A held lease on a <see cref="VirtualDisk"/>; disposing returns it.</summary>
internal readonly struct DiskLease : IDisposable
{
    public DiskLease(VirtualDisk disk) => Disk = disk;

    public VirtualDisk Disk { get; }

    public void Dispose() => Disk.ReleaseLease();
}
