using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Tests.Disks;

public class RawExtentsTests
{
    private const long Mi = 1024 * 1024;

    [Fact]
    public void Normalize_SortsAndMergesTouchingExtents()
    {
        RawExtents.Normalize([new(10, 5), new(0, 10), new(30, 0), new(20, 5), new(22, 10)])
            .ShouldBe([new DiskExtent(0, 15), new DiskExtent(20, 12)]);
    }

    [Fact]
    public void ToVhdBlocks_CoversEveryTouchedBlock()
    {
        RawExtents.ToVhdBlocks([new(0, 1), new((2 * Mi) - 1, 2), new(10 * Mi, 4 * Mi)]).ShouldBe([0L, 1L, 5L, 6L]);
    }

    [Fact]
    public void ToXvaChunks_AlwaysHasFirstAndLast()
    {
        RawExtents.ToXvaChunks([new(3 * Mi, 10)], (5 * Mi) + 1).ShouldBe([0L, 3L, 5L]);
        RawExtents.ToXvaChunks([], 100).ShouldBe([0L]);
        RawExtents.ToXvaChunks([], 0).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void BlocksToExtentsAndBack_IsIdentity(int seed)
    {
        var rng = new Random(seed);
        var size = (rng.Next(1, 100) * Mi) + rng.Next(0, 1000);
        var blockCount = (size + RawExtents.VhdBlockSize - 1) / RawExtents.VhdBlockSize;
        var blocks = Enumerable.Range(0, (int)blockCount).Where(_ => rng.Next(3) == 0).Select(b => (long)b).ToArray();
        var extents = RawExtents.FromBlockIndices(blocks, RawExtents.VhdBlockSize, size);
        extents.ShouldAllBe(e => e.End <= size);
        RawExtents.ToVhdBlocks(extents).ShouldBe(blocks);
    }
}
