namespace XapiSim.Storage;

/// <summary>
/// Which 2 MiB blocks of a generated disk hold data: block <c>b</c> is allocated exactly when a seeded permutation maps
/// it below <see cref="AllocatedCount"/>, so exactly that many blocks are allocated, spread over the whole disk.
/// </summary>
internal readonly struct BlockAllocation
{
    private readonly SeededPermutation permutation;

    public BlockAllocation(long virtualSize, double fill, int seed)
    {
        BlockCount = DiskBlockSizes.CountBlocks(virtualSize, DiskBlockSizes.VhdBlock);
        AllocatedCount = DiskPattern.GetAllocatedBlockCount(virtualSize, fill);
        permutation = new SeededPermutation(BlockCount, SplitMix.Mix((ulong)(uint)seed ^ 0x6A09E667F3BCC908UL));
    }

    public long BlockCount { get; }

    public long AllocatedCount { get; }

    public bool IsAllocated(long blockIndex)
    {
        if (AllocatedCount == BlockCount)
        {
            return true;
        }

        return AllocatedCount != 0 && permutation.Apply(blockIndex) < AllocatedCount;
    }
}
