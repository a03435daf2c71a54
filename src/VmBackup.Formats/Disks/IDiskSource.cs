namespace VmBackup.Formats.Disks;

/// <summary>
/// A virtual disk to be written into a format. It says which ranges may hold non-zero data (everything else is known
/// to be zero and is never read) and reads bytes on demand.
/// </summary>
public interface IDiskSource
{
    /// <summary>Virtual size in bytes.</summary>
    long Size { get; }

    /// <summary>
    /// The ranges that may be non-zero, sorted by offset and not overlapping, within [0, <see cref="Size"/>).
    /// Bytes outside them are zero. Returning one extent covering the whole disk is always correct.
    /// </summary>
    ValueTask<IReadOnlyList<DiskExtent>> GetAllocatedExtentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Fills <paramref name="buffer"/> with the disk bytes at <paramref name="offset"/> (zeros where unallocated).
    /// The range is always within the disk. Calls come from one caller at a time.
    /// </summary>
    ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);
}
