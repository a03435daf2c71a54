using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Cbt;

/// <summary>
/// The bitmap returned by <c>VDI.list_changed_blocks</c> (§6): base64, one bit per 64 KiB block, block i is byte i/8,
/// bit 7 − i mod 8 (MSB first); 1 = changed.
/// </summary>
public static class CbtBitmap
{
    /// <summary>Granularity of the bitmap (64 KiB).</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Decodes a bitmap into changed byte ranges, adjacent blocks merged, clipped to <paramref name="virtualSize"/>.</summary>
    /// <exception cref="CbtFormatException">Not base64, or bits set beyond the disk.</exception>
    public static IReadOnlyList<DiskExtent> Decode(string base64, long virtualSize)
    {
        ArgumentNullException.ThrowIfNull(base64);
        ArgumentOutOfRangeException.ThrowIfNegative(virtualSize);
        byte[] bits;
        try
        {
            bits = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new CbtFormatException($"changed-block bitmap is not valid base64 ({base64.Length} characters): {e.Message}", 0, e);
        }

        var blocks = (virtualSize + BlockSize - 1) / BlockSize;
        var result = new List<DiskExtent>();
        long runStart = -1;
        for (long i = 0; i < (long)bits.Length * 8; i++)
        {
            var set = (bits[i >> 3] & (0x80 >> (int)(i & 7))) != 0;
            if (set && i >= blocks)
            {
                throw new CbtFormatException($"changed-block bitmap marks block {i} (byte {i >> 3}, bit {7 - (i & 7)}) but a {virtualSize}-byte disk has only {blocks} blocks of 64 KiB", i >> 3);
            }

            if (set && runStart < 0)
            {
                runStart = i;
            }
            else if (!set && runStart >= 0)
            {
                result.Add(Extent(runStart, i, virtualSize));
                runStart = -1;
            }
        }

        if (runStart >= 0)
        {
            result.Add(Extent(runStart, (long)bits.Length * 8, virtualSize));
        }

        return result;
    }

    /// <summary>Encodes changed ranges as XAPI would: every 64 KiB block touched by a range is set; length ceil(blocks/8) bytes.</summary>
    public static string Encode(IEnumerable<DiskExtent> changed, long virtualSize)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var blocks = (virtualSize + BlockSize - 1) / BlockSize;
        var bits = new byte[(blocks + 7) / 8];
        foreach (var block in RawExtents.ToBlockIndices(changed, BlockSize))
        {
            if (block >= blocks)
            {
                throw new ArgumentOutOfRangeException(nameof(changed), $"range reaches block {block}, beyond a {virtualSize}-byte disk");
            }

            bits[block >> 3] |= (byte)(0x80 >> (int)(block & 7));
        }

        return Convert.ToBase64String(bits);
    }

    private static DiskExtent Extent(long firstBlock, long endBlock, long virtualSize)
    {
        var start = firstBlock * BlockSize;
        var end = Math.Min(endBlock * BlockSize, virtualSize);
        return new DiskExtent(start, end - start);
    }
}
