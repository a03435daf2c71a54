using VmBackup.Formats.Cbt;
using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Tests.Cbt;

public class CbtBitmapTests
{
    private const long K64 = 64 * 1024;

    [Fact]
    public void Decode_MsbFirst_MergesAdjacentBlocks()
    {
        // blocks 0,1 (byte 0 = 0xC0), block 9 (byte 1 = 0x40), block 15 (byte 1 |= 0x01), block 16 (byte 2 = 0x80)
        var bitmap = Convert.ToBase64String([0xC0, 0x41, 0x80]);
        var ranges = CbtBitmap.Decode(bitmap, 24 * K64);
        ranges.ShouldBe([new DiskExtent(0, 2 * K64), new DiskExtent(9 * K64, K64), new DiskExtent(15 * K64, 2 * K64)]);
    }

    [Fact]
    public void Decode_LastBlockPartial_ClipsToVirtualSize()
    {
        var size = (3 * K64) + 1000;
        var ranges = CbtBitmap.Decode(Convert.ToBase64String([0x10]), size);
        ranges.ShouldBe([new DiskExtent(3 * K64, 1000)]);
    }

    [Fact]
    public void Decode_NotBase64_ThrowsNamingTheInput()
    {
        var e = Should.Throw<CbtFormatException>(() => CbtBitmap.Decode("!!!notbase64", 10 * K64));
        e.Message.ShouldContain("not valid base64");
    }

    [Fact]
    public void Decode_BitBeyondDisk_ThrowsNamingByteAndBit()
    {
        var e = Should.Throw<CbtFormatException>(() => CbtBitmap.Decode(Convert.ToBase64String([0x80, 0x20]), 8 * K64));
        e.Message.ShouldContain("block 10");
        e.Message.ShouldContain("byte 1");
        e.Offset.ShouldBe(1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EncodeDecode_RandomRanges_CoverExactlyTheTouchedBlocks(int seed)
    {
        var rng = new Random(seed);
        var size = (rng.Next(1, 2000) * K64) + rng.Next(0, 65536);
        var ranges = Enumerable.Range(0, rng.Next(0, 20)).Select(_ =>
        {
            var offset = (long)(rng.NextDouble() * (size - 1));
            return new DiskExtent(offset, Math.Min(size - offset, rng.Next(1, 500000)));
        }).ToArray();
        var bitmap = CbtBitmap.Encode(ranges, size);
        Convert.FromBase64String(bitmap).Length.ShouldBe((int)((((size + K64 - 1) / K64) + 7) / 8));
        var decoded = CbtBitmap.Decode(bitmap, size);

        var expected = new bool[(size + K64 - 1) / K64];
        foreach (var r in ranges)
        {
            for (var b = r.Offset / K64; b <= (r.End - 1) / K64; b++)
            {
                expected[b] = true;
            }
        }

        var actual = new bool[expected.Length];
        foreach (var d in decoded)
        {
            (d.Offset % K64).ShouldBe(0);
            for (var b = d.Offset / K64; b <= (d.End - 1) / K64; b++)
            {
                actual[b] = true;
            }
        }

        actual.ShouldBe(expected);
        decoded.Zip(decoded.Skip(1)).ShouldAllBe(p => p.First.End < p.Second.Offset); // merged, so never adjacent
    }
}
