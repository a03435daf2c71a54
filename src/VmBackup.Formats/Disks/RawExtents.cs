namespace VmBackup.Formats.Disks;

/// <summary>Conversions between byte extents, fixed-size block indices (VHD 2 MiB blocks, XVA 1 MiB chunks) and back.</summary>
public static class RawExtents
{
    /// <summary>VHD block size used by XAPI (2 MiB).</summary>
    public const int VhdBlockSize = 2 * 1024 * 1024;

    /// <summary>XVA chunk size (1 MiB).</summary>
    public const int XvaChunkSize = 1024 * 1024;

    /// <summary>Sorts, drops empty extents, and merges overlapping or touching extents.</summary>
    public static IReadOnlyList<DiskExtent> Normalize(IEnumerable<DiskExtent> extents)
    {
        ArgumentNullException.ThrowIfNull(extents);
        var result = new List<DiskExtent>();
        foreach (var e in extents.Where(e => e.Length > 0).OrderBy(e => e.Offset))
        {
            if (e.Offset < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(extents), e, "extent offset is negative");
            }

            if (result.Count > 0 && e.Offset <= result[^1].End)
            {
                var last = result[^1];
                result[^1] = new DiskExtent(last.Offset, Math.Max(last.End, e.End) - last.Offset);
            }
            else
            {
                result.Add(e);
            }
        }

        return result;
    }

    /// <summary>Indices of the <paramref name="blockSize"/> blocks any extent touches, sorted and unique.</summary>
    public static IReadOnlyList<long> ToBlockIndices(IEnumerable<DiskExtent> extents, long blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        var result = new List<long>();
        foreach (var e in Normalize(extents))
        {
            var first = e.Offset / blockSize;
            var last = (e.End - 1) / blockSize;
            for (var b = result.Count > 0 && result[^1] >= first ? result[^1] + 1 : first; b <= last; b++)
            {
                result.Add(b);
            }
        }

        return result;
    }

    /// <summary>Extents covered by the given blocks, merged and clipped to <paramref name="diskSize"/>.</summary>
    public static IReadOnlyList<DiskExtent> FromBlockIndices(IEnumerable<long> blocks, long blockSize, long diskSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return Normalize(blocks.Select(b =>
        {
            var start = b * blockSize;
            var end = Math.Min(diskSize, start + blockSize);
            return new DiskExtent(start, Math.Max(0, end - start));
        }));
    }

    /// <summary>VHD block indices (2 MiB) that hold any of <paramref name="extents"/>.</summary>
    public static IReadOnlyList<long> ToVhdBlocks(IEnumerable<DiskExtent> extents) => ToBlockIndices(extents, VhdBlockSize);

    /// <summary>
    /// XVA chunk indices (1 MiB) an exporter must consider for a disk of <paramref name="diskSize"/> bytes: the chunks the
    /// extents touch, plus chunk 0 and the last chunk, which XVA always carries.
    /// </summary>
    public static IReadOnlyList<long> ToXvaChunks(IEnumerable<DiskExtent> extents, long diskSize)
    {
        if (diskSize <= 0)
        {
            return [];
        }

        var last = (diskSize - 1) / XvaChunkSize;
        var set = new SortedSet<long>(ToBlockIndices(extents, XvaChunkSize).Where(c => c <= last)) { 0, last };
        return set.ToArray();
    }
}
