namespace XapiSim.Storage;

/// <summary>The granularities the simulated storage works in.</summary>
public static class DiskBlockSizes
{
    /// <summary>2 MiB: the VHD block, the unit of <see cref="DiskPattern"/> allocation and of VHD exports.</summary>
    public const int VhdBlock = 2 * 1024 * 1024;

    /// <summary>64 KiB: the CBT block, the unit in which copy-on-write layers record what they hold.</summary>
    public const int CbtBlock = 64 * 1024;

    /// <summary>Number of <see cref="CbtBlock"/>s in a <see cref="VhdBlock"/>.</summary>
    public const int CbtBlocksPerVhdBlock = VhdBlock / CbtBlock;

    /// <summary>Number of blocks of <paramref name="blockSize"/> bytes covering <paramref name="virtualSize"/> (the last may be partial).</summary>
    public static long CountBlocks(long virtualSize, long blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return (virtualSize + blockSize - 1) / blockSize;
    }
}
