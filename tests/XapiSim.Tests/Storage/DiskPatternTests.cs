using System.Security.Cryptography;
using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

public sealed class DiskPatternTests
{
    private const int Block = DiskBlockSizes.VhdBlock;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.37)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void IsBlockAllocated_CountsExactlyRoundedFillOfBlocks(double fill)
    {
        const long size = 1000L * Block + 12345;
        var blocks = DiskBlockSizes.CountBlocks(size, Block);
        var allocated = 0;
        for (long b = 0; b < blocks; b++)
        {
            allocated += DiskPattern.IsBlockAllocated(size, fill, seed: 7, b) ? 1 : 0;
        }

        allocated.ShouldBe((int)Math.Round(fill * blocks, MidpointRounding.AwayFromZero));
        DiskPattern.GetAllocatedBlockCount(size, fill).ShouldBe(allocated);
    }

    [Fact]
    public void IsBlockAllocated_SpreadsBlocksOverTheDisk()
    {
        const long size = 10_000L * Block;
        var firstHalf = 0;
        var secondHalf = 0;
        for (long b = 0; b < 10_000; b++)
        {
            if (DiskPattern.IsBlockAllocated(size, 0.3, seed: 11, b))
            {
                if (b < 5_000)
                {
                    firstHalf++;
                }
                else
                {
                    secondHalf++;
                }
            }
        }

        (firstHalf + secondHalf).ShouldBe(3_000);
        firstHalf.ShouldBeInRange(1_300, 1_700);
    }

    [Fact]
    public void IsBlockAllocated_DependsOnSeed()
    {
        const long size = 512L * Block;
        var differences = 0;
        for (long b = 0; b < 512; b++)
        {
            if (DiskPattern.IsBlockAllocated(size, 0.5, 1, b) != DiskPattern.IsBlockAllocated(size, 0.5, 2, b))
            {
                differences++;
            }
        }

        differences.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void FillBlock_SameSeedSameBytes_DifferentSeedOrBlockDifferentBytes()
    {
        var a = new byte[Block];
        var b = new byte[Block];
        DiskPattern.FillBlock(5, 3, a);
        DiskPattern.FillBlock(5, 3, b);
        a.AsSpan().SequenceEqual(b).ShouldBeTrue();

        DiskPattern.FillBlock(6, 3, b);
        a.AsSpan().SequenceEqual(b).ShouldBeFalse();
        DiskPattern.FillBlock(5, 4, b);
        a.AsSpan().SequenceEqual(b).ShouldBeFalse();
    }

    [Fact]
    public void FillBlock_IsHalfRandomHalfText_AndNeverAllZeroPer64KiB()
    {
        var block = new byte[Block];
        DiskPattern.FillBlock(9, 0, block);
        for (var sub = 0; sub < DiskBlockSizes.CbtBlocksPerVhdBlock; sub++)
        {
            var chunk = block.AsSpan(sub * DiskBlockSizes.CbtBlock, DiskBlockSizes.CbtBlock);
            chunk.IndexOfAnyExcept((byte)0).ShouldBeGreaterThanOrEqualTo(0);
            var text = System.Text.Encoding.ASCII.GetString(chunk[(DiskBlockSizes.CbtBlock / 2)..][..200]);
            text.ShouldContain($"block 0, sub-block {sub}:");
        }

        // Different 64 KiB sub-blocks differ, so deduplication has nothing to find inside a disk.
        block.AsSpan(0, DiskBlockSizes.CbtBlock).SequenceEqual(block.AsSpan(DiskBlockSizes.CbtBlock, DiskBlockSizes.CbtBlock)).ShouldBeFalse();
    }

    [Fact]
    public void FillBlock_PrefixMatchesWholeBlock()
    {
        var whole = new byte[Block];
        DiskPattern.FillBlock(3, 17, whole);
        var prefix = new byte[100_003];
        DiskPattern.FillBlock(3, 17, prefix);
        prefix.AsSpan().SequenceEqual(whole.AsSpan(0, prefix.Length)).ShouldBeTrue();
    }

    [Fact]
    public void FillBlock_AnySliceMatchesTheWholeBlock()
    {
        var whole = new byte[Block];
        DiskPattern.FillBlock(12, 5, whole);
        var random = new Random(12);
        for (var i = 0; i < 300; i++)
        {
            var offset = random.Next(Block);
            var length = Math.Min(Block - offset, random.Next(1, 200_000));
            var slice = new byte[length];
            DiskPattern.Read(8L * Block, 1.0, 12, (5L * Block) + offset, slice);
            slice.AsSpan().SequenceEqual(whole.AsSpan(offset, length)).ShouldBeTrue();
        }
    }

    [Fact]
    public void Read_AtOddOffsets_MatchesBlockContentOrZeros()
    {
        const long size = 64L * Block + 777;
        const double fill = 0.5;
        const int seed = 21;
        var random = new Random(4);
        var block = new byte[Block];
        for (var i = 0; i < 200; i++)
        {
            var offset = random.NextInt64(size);
            var length = (int)Math.Min(size - offset, random.Next(1, 3 * DiskBlockSizes.CbtBlock));
            var actual = new byte[length];
            DiskPattern.Read(size, fill, seed, offset, actual);
            var done = 0;
            while (done < length)
            {
                var position = offset + done;
                var blockIndex = position / Block;
                var inBlock = (int)(position % Block);
                var count = Math.Min(length - done, Block - inBlock);
                if (DiskPattern.IsBlockAllocated(size, fill, seed, blockIndex))
                {
                    DiskPattern.FillBlock(seed, blockIndex, block);
                    actual.AsSpan(done, count).SequenceEqual(block.AsSpan(inBlock, count)).ShouldBeTrue();
                }
                else
                {
                    actual.AsSpan(done, count).IndexOfAnyExcept((byte)0).ShouldBe(-1);
                }

                done += count;
            }
        }
    }

    [Fact]
    public void ComputeSha256_EqualsHashOfBlockByBlockConstruction()
    {
        const long size = 40L * Block + 4096;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new byte[Block];
        for (long b = 0; b * Block < size; b++)
        {
            var length = (int)Math.Min(Block, size - (b * Block));
            if (DiskPattern.IsBlockAllocated(size, 0.4, 99, b))
            {
                DiskPattern.FillBlock(99, b, block.AsSpan(0, length));
            }
            else
            {
                block.AsSpan(0, length).Clear();
            }

            hash.AppendData(block, 0, length);
        }

        DiskPattern.ComputeSha256(size, 0.4, 99).ShouldBe(hash.GetHashAndReset());
        DiskPattern.ComputeSha256(size, 0.4, 98).ShouldNotBe(DiskPattern.ComputeSha256(size, 0.4, 99));
    }

    [Fact]
    public void GeneratedContent_CompressesAboutHalf()
    {
        var block = new byte[Block];
        DiskPattern.FillBlock(1, 1, block);
        using var output = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(block);
        }

        var ratio = (double)output.Length / Block;
        ratio.ShouldBeInRange(0.45, 0.6);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void GetAllocatedBlockCount_RejectsFillOutsideUnitInterval(double fill) =>
        Should.Throw<ArgumentOutOfRangeException>(() => DiskPattern.GetAllocatedBlockCount(Block, fill));
}
