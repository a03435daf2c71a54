namespace VmBackup.Formats.Disks;

/// <summary>A byte range of a virtual disk.</summary>
/// <param name="Offset">First byte.</param>
/// <param name="Length">Number of bytes (≥ 0).</param>
public readonly record struct DiskExtent(long Offset, long Length)
{
    /// <summary>One past the last byte.</summary>
    public long End => Offset + Length;
}
