namespace XapiSim.Storage;

/// <summary>
/// The simulated pool's disk contents: sparse, copy-on-write, never whole disks in memory.
/// A disk is named by an opaque id chosen by the store. Thread-safe.
/// Every member except <see cref="Destroy"/> throws <see cref="KeyNotFoundException"/> for an unknown (or destroyed) id.
/// </summary>
public interface IDiskStore : IDisposable
{
    /// <summary>
    /// A disk whose content is generated: <paramref name="fill"/> is the fraction of 2 MiB blocks holding data and
    /// <paramref name="seed"/> makes both the choice of blocks and their bytes deterministic (see <see cref="DiskPattern"/>).
    /// Costs no space.
    /// </summary>
    string CreateGenerated(long virtualSize, double fill, int seed);

    /// <summary>An all-zero disk of <paramref name="virtualSize"/> bytes. Costs no space.</summary>
    string CreateEmpty(long virtualSize);

    /// <summary>An instant, space-free snapshot: the new disk shares every block with the source (copy-on-write); later writes to either diverge.</summary>
    string Snapshot(string sourceId);

    /// <summary>A writable copy sharing blocks with the source, as <c>VDI.clone</c>.</summary>
    string Clone(string sourceId);

    /// <summary>Forgets the disk and frees the space only it used. Unknown ids are ignored.</summary>
    void Destroy(string id);

    /// <summary>Size in bytes.</summary>
    long GetVirtualSize(string id);

    /// <summary>Bytes of allocated blocks (what XAPI reports as physical utilisation).</summary>
    long GetPhysicalUtilisation(string id);

    /// <summary>
    /// The 64 KiB blocks whose content differs between <paramref name="fromId"/> and <paramref name="toId"/> (a disk and a
    /// later snapshot of the same lineage), one bool per 64 KiB block of <paramref name="toId"/>.
    /// </summary>
    bool[] GetChangedBlocks(string fromId, string toId);

    /// <summary>Opens the disk for reading and writing at any offset; the stream's length is the virtual size.</summary>
    Stream Open(string id, bool writable);
    // ---- Data plane (exports and imports) ----

    /// <summary>
    /// Which blocks of <paramref name="blockSize"/> bytes (a positive multiple of 64 KiB: 64 KiB CBT blocks, 1 MiB XVA
    /// chunks, 2 MiB VHD blocks) hold data anywhere in the disk's chain, one bool per block (the last may be partial).
    /// Unallocated blocks read as zeros; allocated ones may still contain zeros. This is what a VHD export without
    /// <c>base</c> includes.
    /// </summary>
    bool[] GetAllocatedBlocks(string id, int blockSize);

    /// <summary>
    /// The blocks of <paramref name="blockSize"/> bytes allocated in layers that belong to exactly one of the two disks'
    /// chains: the blocks whose content may differ between <paramref name="baseId"/> and <paramref name="id"/>, i.e. what
    /// XAPI puts into a <c>base=</c> differencing VHD export. One bool per block of <paramref name="id"/>. When either
    /// disk is a shared-folder disk (no lineage: its snapshots are full copies), the blocks whose bytes differ.
    /// </summary>
    bool[] GetDifferingBlocks(string baseId, string id, int blockSize);

    /// <summary>
    /// The ranges of the disk that may hold non-zero bytes, ascending, disjoint, merged when adjacent, in 64 KiB units
    /// (the last clipped to the virtual size); everything outside them reads as zeros. Reflects the disk at the call.
    /// </summary>
    IEnumerable<(long Offset, long Length)> GetAllocatedExtents(string id);

    /// <summary>
    /// Reads from <paramref name="offset"/> into <paramref name="buffer"/>; returns the bytes read, fewer than the
    /// buffer only at the end of the disk (0 at or beyond it).
    /// </summary>
    int Read(string id, long offset, Span<byte> buffer);

    /// <summary>Asynchronous <see cref="Read"/>.</summary>
    ValueTask<int> ReadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> (copy-on-write: shared blocks are never modified).
    /// The range must lie within the disk, else <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    void Write(string id, long offset, ReadOnlySpan<byte> data);

    /// <summary>Asynchronous <see cref="Write"/>.</summary>
    ValueTask WriteAsync(string id, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
