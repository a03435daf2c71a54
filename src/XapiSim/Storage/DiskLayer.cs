namespace XapiSim.Storage;

/// <summary>
/// One layer of a disk's copy-on-write chain (like one VHD file of a VHD chain): it holds some 64 KiB sub-blocks and
/// defers the rest to its <see cref="Parent"/>. Reference counted: disks and child layers each own one reference;
/// the layer and, transitively, its parents are freed when the last reference is released.
/// </summary>
internal abstract class DiskLayer
{
    private int references = 1;

    protected DiskLayer(long virtualSize, DiskLayer? parent)
    {
        VirtualSize = virtualSize;
        Parent = parent;
    }

    public long VirtualSize { get; }

    public DiskLayer? Parent { get; }

    /// <summary>Whether this layer itself holds sub-block <paramref name="subBlock"/> (64 KiB units).</summary>
    public abstract bool Holds(long subBlock);

    /// <summary>Sets, in <paramref name="subBlocks"/> (one bit per 64 KiB sub-block), the sub-blocks this layer holds.</summary>
    public abstract void MarkHeld(ulong[] subBlocks);

    /// <summary>Reads bytes this layer holds; every sub-block touched must be held.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>Asynchronous <see cref="Read"/>.</summary>
    public virtual ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Read(offset, destination.Span);
        return ValueTask.CompletedTask;
    }

    public void AddReference()
    {
        if (Interlocked.Increment(ref references) <= 1)
        {
            throw new InvalidOperationException("Layer was already freed.");
        }
    }

    /// <summary>Drops one reference to <paramref name="layer"/>, freeing it and its ancestors that nobody references any more.</summary>
    public static void Release(DiskLayer? layer)
    {
        while (layer is not null && Interlocked.Decrement(ref layer.references) == 0)
        {
            var parent = layer.Parent;
            layer.Free();
            layer = parent;
        }
    }

    /// <summary>Releases the layer's storage; called once, when the last reference is gone.</summary>
    protected virtual void Free()
    {
    }
}
