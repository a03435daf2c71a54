namespace XapiSim.Storage;

/// <summary>The bottom layer of a generated disk: content from <see cref="DiskPattern"/>, no storage at all.</summary>
internal sealed class GeneratedLayer : DiskLayer
{
    private readonly BlockAllocation allocation;
    private readonly Lazy<ulong[]> allocatedBlocks;

    public GeneratedLayer(long virtualSize, double fill, int seed)
        : base(virtualSize, parent: null)
    {
        Fill = fill;
        Seed = seed;
        allocation = new BlockAllocation(virtualSize, fill, seed);
        allocatedBlocks = new Lazy<ulong[]>(ComputeAllocatedBlocks, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public double Fill { get; }

    public int Seed { get; }

    public override bool Holds(long subBlock)
    {
        var block = subBlock / DiskBlockSizes.CbtBlocksPerVhdBlock;
        return (allocatedBlocks.Value[block >> 6] & (1UL << (int)(block & 63))) != 0;
    }

    public override void MarkHeld(ulong[] subBlocks)
    {
        // 32 sub-blocks per 2 MiB block: each block is one half of a 64-bit word.
        var blocks = allocatedBlocks.Value;
        for (long block = 0; block < allocation.BlockCount; block++)
        {
            if ((blocks[block >> 6] & (1UL << (int)(block & 63))) != 0)
            {
                var word = block >> 1;
                if (word < subBlocks.Length)
                {
                    subBlocks[word] |= (block & 1) == 0 ? 0x00000000FFFFFFFFUL : 0xFFFFFFFF00000000UL;
                }
            }
        }
    }

    public override void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var block = offset / DiskBlockSizes.VhdBlock;
            var inBlock = (int)(offset % DiskBlockSizes.VhdBlock);
            var count = Math.Min(destination.Length, DiskBlockSizes.VhdBlock - inBlock);
            DiskPattern.FillRange(Seed, block, inBlock, destination[..count]);
            offset += count;
            destination = destination[count..];
        }
    }

    private ulong[] ComputeAllocatedBlocks()
    {
        var bits = new ulong[(allocation.BlockCount + 63) / 64];
        for (long block = 0; block < allocation.BlockCount; block++)
        {
            if (allocation.IsAllocated(block))
            {
                bits[block >> 6] |= 1UL << (int)(block & 63);
            }
        }

        return bits;
    }
}
