namespace XapiSim.Storage;

/// <summary>
/// One disk of a <see cref="SparseDiskStore"/>: its size, its chain head, and a lease count (the store's registry
/// holds one lease; every open stream or running operation holds another) so that a destroyed disk keeps its layers
/// until the last user is done. Writers and branching (snapshot/clone) of this disk are serialised by
/// <see cref="WriteGate"/>; readers take no lock.
/// </summary>
internal sealed class VirtualDisk
{
    private DiskHead head;
    private int leases = 1;

    public VirtualDisk(string id, long virtualSize, DiskLayer? top)
    {
        Id = id;
        VirtualSize = virtualSize;
        head = new DiskHead(top, TopIsPrivate: false);
    }

    public string Id { get; }

    public long VirtualSize { get; }

    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    public DiskHead Head
    {
        get => Volatile.Read(ref head);
        set => Volatile.Write(ref head, value);
    }

    /// <summary>Takes a lease unless the disk has already been released for good.</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref leases);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref leases, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Returns a lease; the last one releases the disk's reference to its layer chain.</summary>
    public void ReleaseLease()
    {
        if (Interlocked.Decrement(ref leases) == 0)
        {
            DiskLayer.Release(Head.Top);
            Head = new DiskHead(null, TopIsPrivate: false);
        }
    }
}
