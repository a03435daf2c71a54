using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace XapiSim.Storage;

/// <summary>
/// An <see cref="IDiskStore"/> built like a VHD-chain SR: each disk is a chain of copy-on-write layers. The bottom of a
/// generated disk is a <see cref="DiskPattern"/> layer that costs no storage; every other layer is a sparse file in the
/// store's directory holding only the 64 KiB sub-blocks written while it was a disk's top layer.
/// <list type="bullet">
/// <item>Snapshot and clone are instant: the source's top layer is frozen and becomes the shared parent of both disks;
/// each gets its own private layer at its first write.</item>
/// <item>Reads walk the chain top-down per 64 KiB sub-block; writes of partial sub-blocks copy the sub-block up first.</item>
/// <item>Layers are reference counted; a layer file is deleted when no disk or child layer references it.</item>
/// <item>Thread-safe: readers take no lock; writers and snapshots of one disk are serialised; a destroyed disk stays
/// readable by streams opened before, until they are disposed.</item>
/// </list>
/// State is not persisted: layer files are deleted when the store is disposed, and a new store starts empty (files left
/// by a crashed process are not reused). Disks of shared SR folders (<see cref="ISharedDiskStore"/>) are flat files
/// that outlive the store. Layer files rely on the file system creating sparse files when writing past
/// the end (ext4, xfs, btrfs, APFS, tmpfs do; NTFS needs the sparse attribute and is not supported for large disks).
/// </summary>
public sealed class SparseDiskStore : ISharedDiskStore
{
    private const int SubBlock = DiskBlockSizes.CbtBlock;

    private readonly string directory;
    private readonly ConcurrentDictionary<string, VirtualDisk> disks = new(StringComparer.Ordinal);
    private readonly SharedFolderDisks shared = new();
    private volatile bool disposed;

    /// <summary>Creates an empty store keeping its layer files in <paramref name="directory"/> (created if missing).</summary>
    public SparseDiskStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        this.directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(this.directory);
    }

    /// <inheritdoc/>
    public string CreateGenerated(long virtualSize, double fill, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualSize);
        _ = DiskPattern.GetAllocatedBlockCount(virtualSize, fill);
        return Register(virtualSize, new GeneratedLayer(virtualSize, fill, seed));
    }

    /// <inheritdoc/>
    public string CreateEmpty(long virtualSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualSize);
        return Register(virtualSize, top: null);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A disk of a shared folder is copied (its non-zero blocks) into a private disk of this store; a snapshot that must
    /// stay on the shared SR is made with <see cref="CopyToShared"/>.
    /// </remarks>
    public string Snapshot(string sourceId) => shared.TryGet(sourceId, out var disk) ? CopyShared(disk) : Branch(sourceId);

    /// <inheritdoc/>
    /// <remarks>
    /// A disk of a shared folder is copied (its non-zero blocks) into a private disk of this store; a clone that must
    /// stay on the shared SR is made with <see cref="CopyToShared"/>.
    /// </remarks>
    public string Clone(string sourceId) => shared.TryGet(sourceId, out var disk) ? CopyShared(disk) : Branch(sourceId);

    /// <inheritdoc/>
    public void Destroy(string id)
    {
        if (shared.Destroy(id))
        {
            return;
        }

        if (disks.TryRemove(id, out var disk))
        {
            disk.ReleaseLease();
        }
    }

    /// <inheritdoc/>
    public long GetVirtualSize(string id)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            return sharedDisk.VirtualSize;
        }

        using var lease = Acquire(id);
        return lease.Disk.VirtualSize;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The bytes of the 64 KiB sub-blocks allocated anywhere in the disk's chain (clipped to the virtual size): the data
    /// a full export carries. Shared layers count for every disk that uses them.
    /// </remarks>
    public long GetPhysicalUtilisation(string id)
    {
        var (subBlocks, count, virtualSize) = Held(id);
        long held = 0;
        foreach (var word in subBlocks)
        {
            held += BitOperations.PopCount(word);
        }

        var bytes = held * SubBlock;
        var tail = virtualSize % SubBlock;
        if (tail != 0 && IsSet(subBlocks, count - 1))
        {
            bytes -= SubBlock - tail;
        }

        return bytes;
    }

    /// <inheritdoc/>
    public bool[] GetChangedBlocks(string fromId, string toId) => GetDifferingBlocks(fromId, toId, SubBlock);

    /// <inheritdoc/>
    public bool[] GetAllocatedBlocks(string id, int blockSize)
    {
        ValidateBlockSize(blockSize);
        var (subBlocks, _, virtualSize) = Held(id);
        return Fold(subBlocks, virtualSize, blockSize);
    }

    /// <inheritdoc/>
    public bool[] GetDifferingBlocks(string baseId, string id, int blockSize)
    {
        ValidateBlockSize(blockSize);
        if (shared.TryGet(baseId, out _) || shared.TryGet(id, out _))
        {
            // A shared disk has no lineage (its snapshots are full copies): compare the bytes.
            var size = GetVirtualSize(id);
            return Fold(CompareContent(baseId, id, size), size, blockSize);
        }

        using var baseLease = Acquire(baseId);
        using var lease = Acquire(id);
        var baseChain = Chain(baseLease.Disk.Head.Top);
        var chain = Chain(lease.Disk.Head.Top);
        var onlyInOne = new HashSet<DiskLayer>(chain, ReferenceEqualityComparer.Instance);
        onlyInOne.SymmetricExceptWith(baseChain);
        var subBlocks = CollectHeld(onlyInOne, lease.Disk.VirtualSize, out _);
        return Fold(subBlocks, lease.Disk.VirtualSize, blockSize);
    }

    /// <inheritdoc/>
    public IEnumerable<(long Offset, long Length)> GetAllocatedExtents(string id)
    {
        var (subBlocks, count, virtualSize) = Held(id);
        return EnumerateRuns(subBlocks, count, virtualSize);
    }

    /// <inheritdoc/>
    public int Read(string id, long offset, Span<byte> buffer)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            return SharedFolderDisks.Read(sharedDisk, offset, buffer);
        }

        using var lease = Acquire(id);
        return ReadDisk(lease.Disk, offset, buffer);
    }

    /// <inheritdoc/>
    public async ValueTask<int> ReadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            return await SharedFolderDisks.ReadAsync(sharedDisk, offset, buffer, cancellationToken).ConfigureAwait(false);
        }

        using var lease = Acquire(id);
        return await ReadDiskAsync(lease.Disk, offset, buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Write(string id, long offset, ReadOnlySpan<byte> data)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            SharedFolderDisks.Write(sharedDisk, offset, data);
            return;
        }

        using var lease = Acquire(id);
        WriteDisk(lease.Disk, offset, data);
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(string id, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            await SharedFolderDisks.WriteAsync(sharedDisk, offset, data, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var lease = Acquire(id);
        await WriteDiskAsync(lease.Disk, offset, data, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The stream is seekable, cannot change length, and keeps the disk's data alive after <see cref="Destroy"/> until
    /// it is disposed. Writes beyond the end throw <see cref="IOException"/>. One stream is not thread-safe; several
    /// streams on the same or different disks may be used concurrently.
    /// </remarks>
    public Stream Open(string id, bool writable)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            return new DiskStream(new SharedDiskContent(sharedDisk), writable);
        }

        var lease = Acquire(id);
        return new DiskStream(new LeasedDiskContent(this, lease.Disk), writable);
    }

    /// <inheritdoc/>
    public string CreateShared(string folder, SharedVdiInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfNegative(info.VirtualSize);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (info.Fill is not > 0)
        {
            return shared.Create(folder, info).Id;
        }

        var generated = CreateGenerated(info.VirtualSize, info.Fill.Value, info.Seed ?? 0);
        try
        {
            return shared.Create(folder, info, disk => CopyExtents(generated, (offset, data) => SharedFolderDisks.Write(disk, offset, data))).Id;
        }
        finally
        {
            Destroy(generated);
        }
    }

    /// <inheritdoc/>
    public string CopyToShared(string sourceId, string folder, SharedVdiInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ObjectDisposedException.ThrowIf(disposed, this);
        var size = GetVirtualSize(sourceId);
        if (info.VirtualSize != size)
        {
            throw new ArgumentException($"The copy must have the source's size ({size} bytes), not {info.VirtualSize}.", nameof(info));
        }

        return shared.Create(folder, info, disk => CopyNonZero(sourceId, disk)).Id;
    }

    /// <inheritdoc/>
    public string AttachShared(string folder, string uuid)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(uuid);
        ObjectDisposedException.ThrowIf(disposed, this);
        return shared.Attach(folder, uuid).Id;
    }

    /// <inheritdoc/>
    public bool ForgetShared(string id) => shared.Forget(id);

    /// <inheritdoc/>
    public bool IsShared(string id) => shared.TryGet(id, out _);

    /// <summary>Forgets every disk and deletes the layer files not still held by open streams; shared-folder files are kept.</summary>
    public void Dispose()
    {
        disposed = true;
        shared.Dispose();
        foreach (var id in disks.Keys)
        {
            Destroy(id);
        }
    }

    internal int ReadDisk(VirtualDisk disk, long offset, Span<byte> buffer)
    {
        var count = ClipRead(disk, offset, buffer.Length);
        ReadChain(disk.Head.Top, offset, buffer[..count]);
        return count;
    }

    internal async ValueTask<int> ReadDiskAsync(VirtualDisk disk, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var count = ClipRead(disk, offset, buffer.Length);
        var top = disk.Head.Top;
        var done = 0;
        while (done < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = offset + done;
            var run = NextReadRun(top, position, offset + count, out var source);
            var part = buffer.Slice(done, run);
            if (source is null)
            {
                part.Span.Clear();
            }
            else
            {
                await source.ReadAsync(position, part, cancellationToken).ConfigureAwait(false);
            }

            done += run;
        }

        return count;
    }

    internal void WriteDisk(VirtualDisk disk, long offset, ReadOnlySpan<byte> data)
    {
        ValidateWrite(disk, offset, data.Length);
        if (data.IsEmpty)
        {
            return;
        }

        disk.WriteGate.Wait();
        try
        {
            var leaf = EnsurePrivateTop(disk);
            var done = 0;
            while (done < data.Length)
            {
                var position = offset + done;
                var run = NextWriteRun(leaf, position, offset + data.Length, out var copyUp);
                var part = data.Slice(done, run);
                if (copyUp)
                {
                    CopyUp(leaf, position, part);
                }
                else
                {
                    leaf.Write(position, part);
                    MarkWritten(leaf, position, run);
                }

                done += run;
            }
        }
        finally
        {
            disk.WriteGate.Release();
        }
    }

    internal async ValueTask WriteDiskAsync(VirtualDisk disk, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ValidateWrite(disk, offset, data.Length);
        if (data.IsEmpty)
        {
            return;
        }

        await disk.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var leaf = EnsurePrivateTop(disk);
            var done = 0;
            while (done < data.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var position = offset + done;
                var run = NextWriteRun(leaf, position, offset + data.Length, out var copyUp);
                var part = data.Slice(done, run);
                if (copyUp)
                {
                    CopyUp(leaf, position, part.Span);
                }
                else
                {
                    await leaf.WriteAsync(position, part, cancellationToken).ConfigureAwait(false);
                    MarkWritten(leaf, position, run);
                }

                done += run;
            }
        }
        finally
        {
            disk.WriteGate.Release();
        }
    }

    /// <summary>The 64 KiB sub-blocks holding data, their count and the virtual size of any disk (shared or layered).</summary>
    private (ulong[] SubBlocks, long Count, long VirtualSize) Held(string id)
    {
        if (shared.TryGet(id, out var sharedDisk))
        {
            return (SharedFolderDisks.ScanHeld(sharedDisk, out var sharedCount), sharedCount, sharedDisk.VirtualSize);
        }

        using var lease = Acquire(id);
        var disk = lease.Disk;
        var subBlocks = CollectHeld(Chain(disk.Head.Top), disk.VirtualSize, out var count);
        return (subBlocks, count, disk.VirtualSize);
    }

    /// <summary>
    /// One bit per 64 KiB sub-block of <paramref name="id"/> (<paramref name="virtualSize"/> bytes): set when its bytes
    /// differ from the same range of <paramref name="baseId"/> (beyond the base's end, when not all zeros). Reads both
    /// disks through pooled buffers.
    /// </summary>
    private ulong[] CompareContent(string baseId, string id, long virtualSize)
    {
        const int Chunk = 16 * SubBlock;
        var count = DiskBlockSizes.CountBlocks(virtualSize, SubBlock);
        var bits = new ulong[(count + 63) / 64];
        var ours = ArrayPool<byte>.Shared.Rent(Chunk);
        var theirs = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            for (long offset = 0; offset < virtualSize; offset += Chunk)
            {
                var read = Read(id, offset, ours.AsSpan(0, (int)Math.Min(Chunk, virtualSize - offset)));
                var baseRead = Read(baseId, offset, theirs.AsSpan(0, read));
                theirs.AsSpan(baseRead, read - baseRead).Clear();
                for (var start = 0; start < read; start += SubBlock)
                {
                    var length = Math.Min(SubBlock, read - start);
                    if (!ours.AsSpan(start, length).SequenceEqual(theirs.AsSpan(start, length)))
                    {
                        var index = (offset + start) / SubBlock;
                        bits[index >> 6] |= 1UL << (int)(index & 63);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(theirs);
            ArrayPool<byte>.Shared.Return(ours);
        }

        return bits;
    }

    /// <summary>A private disk holding a copy of the shared disk's current non-zero blocks.</summary>
    private string CopyShared(SharedDisk source)
    {
        var id = CreateEmpty(source.VirtualSize);
        try
        {
            CopyExtents(source.Id, (offset, data) => Write(id, offset, data));
            return id;
        }
        catch
        {
            Destroy(id);
            throw;
        }
    }

    private delegate void ChunkWriter(long offset, ReadOnlySpan<byte> data);

    /// <summary>
    /// Copies the 64 KiB blocks of <paramref name="sourceId"/> holding a non-zero byte into <paramref name="target"/>
    /// (a new, all-zero file: the other blocks stay holes). A shared source is read once from start to end (its
    /// allocation is found by reading anyway); a private one only in its allocated extents.
    /// </summary>
    private void CopyNonZero(string sourceId, SharedDisk target)
    {
        IEnumerable<(long Offset, long Length)> extents = shared.TryGet(sourceId, out var source)
            ? [(0L, source.VirtualSize)]
            : GetAllocatedExtents(sourceId);
        const int Chunk = 1 << 20;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            foreach (var (offset, length) in extents)
            {
                for (long done = 0; done < length; done += Chunk)
                {
                    var position = offset + done;
                    var read = Read(sourceId, position, buffer.AsSpan(0, (int)Math.Min(Chunk, length - done)));
                    WriteNonZeroRuns(target, position, buffer.AsSpan(0, read));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the runs of 64 KiB blocks of <paramref name="data"/> (read at <paramref name="offset"/>, a block boundary) that hold a non-zero byte.</summary>
    private static void WriteNonZeroRuns(SharedDisk target, long offset, ReadOnlySpan<byte> data)
    {
        var start = -1;
        for (var at = 0; at < data.Length; at += SubBlock)
        {
            var nonZero = data.Slice(at, Math.Min(SubBlock, data.Length - at)).ContainsAnyExcept((byte)0);
            if (nonZero && start < 0)
            {
                start = at;
            }
            else if (!nonZero && start >= 0)
            {
                SharedFolderDisks.Write(target, offset + start, data[start..at]);
                start = -1;
            }
        }

        if (start >= 0)
        {
            SharedFolderDisks.Write(target, offset + start, data[start..]);
        }
    }

    /// <summary>Reads every allocated extent of <paramref name="sourceId"/> in pooled 1 MiB chunks and hands them to <paramref name="write"/>.</summary>
    private void CopyExtents(string sourceId, ChunkWriter write)
    {
        const int Chunk = 1 << 20;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            foreach (var (offset, length) in GetAllocatedExtents(sourceId))
            {
                for (long done = 0; done < length; done += Chunk)
                {
                    var part = (int)Math.Min(Chunk, length - done);
                    var read = Read(sourceId, offset + done, buffer.AsSpan(0, part));
                    write(offset + done, buffer.AsSpan(0, read));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string Register(long virtualSize, DiskLayer? top)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var disk = new VirtualDisk(Guid.NewGuid().ToString("D"), virtualSize, top);
        if (!disks.TryAdd(disk.Id, disk))
        {
            throw new InvalidOperationException("Duplicate disk id.");
        }

        return disk.Id;
    }

    private string Branch(string sourceId)
    {
        using var lease = Acquire(sourceId);
        var source = lease.Disk;
        source.WriteGate.Wait();
        try
        {
            var head = source.Head;
            head.Top?.AddReference();
            if (head.TopIsPrivate)
            {
                source.Head = head with { TopIsPrivate = false };
            }

            try
            {
                return Register(source.VirtualSize, head.Top);
            }
            catch
            {
                DiskLayer.Release(head.Top);
                throw;
            }
        }
        finally
        {
            source.WriteGate.Release();
        }
    }

    private DiskLease Acquire(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (disks.TryGetValue(id, out var disk) && disk.TryAcquire())
        {
            return new DiskLease(disk);
        }

        throw new KeyNotFoundException($"No disk with id '{id}'.");
    }

    /// <summary>Called with the disk's write gate held.</summary>
    private FileLayer EnsurePrivateTop(VirtualDisk disk)
    {
        var head = disk.Head;
        if (head.TopIsPrivate)
        {
            return (FileLayer)head.Top!;
        }

        var leaf = FileLayer.Create(directory, disk.VirtualSize, head.Top);
        disk.Head = new DiskHead(leaf, TopIsPrivate: true);
        return leaf;
    }

    private static void ReadChain(DiskLayer? top, long offset, Span<byte> buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var position = offset + done;
            var run = NextReadRun(top, position, offset + buffer.Length, out var source);
            var part = buffer.Slice(done, run);
            if (source is null)
            {
                part.Clear();
            }
            else
            {
                source.Read(position, part);
            }

            done += run;
        }
    }

    /// <summary>Length of the run from <paramref name="position"/> whose sub-blocks all come from the same layer (null: zeros).</summary>
    private static int NextReadRun(DiskLayer? top, long position, long end, out DiskLayer? source)
    {
        var subBlock = position / SubBlock;
        source = Owner(top, subBlock);
        var runEnd = Math.Min(end, (subBlock + 1) * SubBlock);
        while (runEnd < end && Owner(top, subBlock + 1) == source)
        {
            subBlock++;
            runEnd = Math.Min(end, (subBlock + 1) * SubBlock);
        }

        return (int)(runEnd - position);
    }

    private static DiskLayer? Owner(DiskLayer? layer, long subBlock)
    {
        for (; layer is not null; layer = layer.Parent)
        {
            if (layer.Holds(subBlock))
            {
                return layer;
            }
        }

        return null;
    }

    /// <summary>
    /// Length of the next write run: either a run of sub-blocks that are fully overwritten or already held by the leaf
    /// (written in place), or one partial sub-block the leaf does not hold yet (<paramref name="copyUp"/>).
    /// </summary>
    private static int NextWriteRun(FileLayer leaf, long position, long end, out bool copyUp)
    {
        var subBlock = position / SubBlock;
        var subEnd = Math.Min(leaf.VirtualSize, (subBlock + 1) * SubBlock);
        var runEnd = Math.Min(end, subEnd);
        var whole = position == subBlock * SubBlock && runEnd == subEnd;
        copyUp = !whole && !leaf.Holds(subBlock);
        if (copyUp)
        {
            return (int)(runEnd - position);
        }

        while (runEnd < end)
        {
            var next = subBlock + 1;
            var nextEnd = Math.Min(leaf.VirtualSize, (next + 1) * SubBlock);
            var nextRunEnd = Math.Min(end, nextEnd);
            if (nextRunEnd != nextEnd && !leaf.Holds(next))
            {
                break;
            }

            subBlock = next;
            runEnd = nextRunEnd;
        }

        return (int)(runEnd - position);
    }

    private static void MarkWritten(FileLayer leaf, long position, int length)
    {
        var first = position / SubBlock;
        var last = (position + length - 1) / SubBlock;
        leaf.MarkHeld(first, last - first + 1);
    }

    /// <summary>Writes part of a sub-block the leaf does not hold: the rest of the sub-block is copied from below.</summary>
    private static void CopyUp(FileLayer leaf, long position, ReadOnlySpan<byte> data)
    {
        var subBlock = position / SubBlock;
        var start = subBlock * SubBlock;
        var length = (int)Math.Min(SubBlock, leaf.VirtualSize - start);
        var buffer = ArrayPool<byte>.Shared.Rent(SubBlock);
        try
        {
            var whole = buffer.AsSpan(0, length);
            ReadChain(leaf.Parent, start, whole);
            data.CopyTo(whole[(int)(position - start)..]);
            leaf.Write(start, whole);
            leaf.MarkHeld(subBlock, 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<DiskLayer> Chain(DiskLayer? top)
    {
        var chain = new List<DiskLayer>();
        for (; top is not null; top = top.Parent)
        {
            chain.Add(top);
        }

        return chain;
    }

    /// <summary>One bit per 64 KiB sub-block of a disk of <paramref name="virtualSize"/>: held by any of <paramref name="layers"/>.</summary>
    private static ulong[] CollectHeld(IEnumerable<DiskLayer> layers, long virtualSize, out long count)
    {
        count = DiskBlockSizes.CountBlocks(virtualSize, SubBlock);
        var bits = new ulong[(count + 63) / 64];
        foreach (var layer in layers)
        {
            layer.MarkHeld(bits);
        }

        var tail = (int)(count & 63);
        if (tail != 0)
        {
            bits[^1] &= (1UL << tail) - 1;
        }

        return bits;
    }

    private static bool IsSet(ulong[] bits, long index) => (bits[index >> 6] & (1UL << (int)(index & 63))) != 0;

    private static bool[] Fold(ulong[] subBlocks, long virtualSize, int blockSize)
    {
        var perBlock = blockSize / SubBlock;
        var result = new bool[DiskBlockSizes.CountBlocks(virtualSize, blockSize)];
        for (var w = 0; w < subBlocks.Length; w++)
        {
            var word = subBlocks[w];
            while (word != 0)
            {
                var subBlock = ((long)w * 64) + BitOperations.TrailingZeroCount(word);
                result[subBlock / perBlock] = true;
                word &= word - 1;
            }
        }

        return result;
    }

    private static IEnumerable<(long Offset, long Length)> EnumerateRuns(ulong[] subBlocks, long count, long virtualSize)
    {
        long index = 0;
        while (index < count)
        {
            if (!IsSet(subBlocks, index))
            {
                index++;
                continue;
            }

            var start = index;
            while (index < count && IsSet(subBlocks, index))
            {
                index++;
            }

            var offset = start * SubBlock;
            yield return (offset, Math.Min(index * SubBlock, virtualSize) - offset);
        }
    }

    private static int ClipRead(VirtualDisk disk, long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return offset >= disk.VirtualSize ? 0 : (int)Math.Min(length, disk.VirtualSize - offset);
    }

    private static void ValidateWrite(VirtualDisk disk, long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset > disk.VirtualSize - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Write of {length} bytes goes beyond the disk's {disk.VirtualSize} bytes.");
        }
    }

    private static void ValidateBlockSize(int blockSize)
    {
        if (blockSize <= 0 || blockSize % SubBlock != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "Block size must be a positive multiple of 64 KiB.");
        }
    }
}
