using VmBackup.Formats.Disks;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Vhd;

namespace VmBackup.Formats.Tests.Vhd;

public class VhdRoundTripTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Dynamic_RandomSparseDisk_RoundTripsThroughBothReaders(int seed)
    {
        var disk = SparseDisk.Random(seed, maxMiB: 20);
        var vhd = await VhdTestFiles.DynamicAsync(disk);

        var viaSeekable = (await VhdTestFiles.ReadAsync(vhd)).Data;
        ByteAssert.Equal(disk.Data, viaSeekable, $"seekable reader, seed {seed}");
        var viaStream = (await VhdTestFiles.StreamReadAsync(vhd)).Data;
        ByteAssert.Equal(disk.Data, viaStream, $"stream reader, seed {seed}");

        var reader = await VhdReader.OpenAsync(new MemoryStream(vhd), CancellationToken.None);
        reader.AllocatedBlocks.ShouldBe(RawExtents.ToVhdBlocks(disk.Allocated));
        reader.Footer.DiskType.ShouldBe(VhdDiskType.Dynamic);
        reader.Header!.TableOffset.ShouldBe(2048UL);
        vhd.Length.ShouldBe(2048 + (int)((((reader.Header.MaxTableEntries * 4) + 511) / 512) * 512) + (reader.AllocatedBlocks.Count * (512 + (2 * 1024 * 1024))) + 512);
        vhd.AsSpan(0, 512).SequenceEqual(vhd.AsSpan(vhd.Length - 512)).ShouldBeTrue("footer copy at 0 equals the footer");
        vhd.AsSpan(1536, 512).ToArray().ShouldAllBe(b => b == 0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Differencing_AppliedOnBase_EqualsNewDisk(int seed)
    {
        var baseDisk = SparseDisk.Random(seed + 100, maxMiB: 16);
        var newDisk = baseDisk.Modify(seed);
        var blocks = RawExtents.ToVhdBlocks(newDisk.Changed);
        var parent = new VhdParent(Guid.NewGuid(), 12345, "/var/run/sr-mount/abc/base.vhd");
        var ms = new MemoryStream();
        var footer = await VhdWriter.WriteDifferencingAsync(ms, newDisk, blocks, parent, null, CancellationToken.None);
        var vhd = ms.ToArray();

        footer.DiskType.ShouldBe(VhdDiskType.Differencing);
        var applied = (await VhdTestFiles.ReadAsync(vhd, baseDisk.Data)).Data;
        ByteAssert.Equal(newDisk.Data, applied, $"diff on base, seed {seed}");
        var appliedStream = (await VhdTestFiles.StreamReadAsync(vhd, baseDisk.Data)).Data;
        ByteAssert.Equal(newDisk.Data, appliedStream, $"streamed diff on base, seed {seed}");

        var reader = await VhdReader.OpenAsync(new MemoryStream(vhd), CancellationToken.None);
        reader.Header!.ParentUniqueId.ShouldBe(parent.UniqueId);
        reader.Header.ParentTimestamp.ShouldBe(12345u);
        reader.Header.ParentUnicodeName.ShouldBe(parent.Path);
        reader.Header.ParentLocators[0].ShouldBe(new VhdParentLocator(VhdParentLocator.MacX, 1, (uint)("file://" + parent.Path).Length, 1536));
        reader.AllocatedBlocks.ShouldBe(blocks);
    }

    [Fact]
    public async Task PartialBitmap_OnlySetSectorsAreEmitted()
    {
        var data = new byte[4 * 1024 * 1024];
        new Random(1).NextBytes(data);
        var vhd = await VhdTestFiles.DynamicAsync(SparseDisk.FromBytes(data), [1]);
        var bitmapOffset = vhd.Length - 512 - (512 + (2 * 1024 * 1024));
        vhd.AsSpan(bitmapOffset, 512).Clear();
        vhd[bitmapOffset] = 0b1010_0000; // sectors 0 and 2 of block 1
        vhd[bitmapOffset + 511] = 0x01; // last sector of block 1
        var sink = await VhdTestFiles.ReadAsync(vhd);
        const int B1 = 2 * 1024 * 1024;
        sink.Writes.ShouldBe([new DiskExtent(B1, 512), new DiskExtent(B1 + 1024, 512), new DiskExtent((2 * B1) - 512, 512)]);
        ByteAssert.Equal(data.AsSpan(B1 + 1024, 512), sink.Data.AsSpan(B1 + 1024, 512), "sector 2");
        sink.Data.AsSpan(B1 + 512, 512).ContainsAnyExcept((byte)0).ShouldBeFalse();
    }

    [Theory]
    [InlineData(1L << 20, 30, 4, 17)] // T=2048, cth=120, h=4
    [InlineData(40L << 20, 963, 5, 17)] // T=81920, cth=4818, h=5
    [InlineData(1L << 30, 2080, 16, 63)]
    [InlineData(2L << 40, 65535, 16, 255)]
    public void Geometry_FollowsTheSpecification(long size, int cylinders, int heads, int spt)
    {
        VhdGeometry.FromSize(size).ShouldBe(new VhdGeometry((ushort)cylinders, (byte)heads, (byte)spt));
    }

    [Fact]
    public void FooterAndHeader_SerializeAndParse()
    {
        var footer = VhdFooter.Create(VhdDiskType.Dynamic, 123456789, Guid.NewGuid(), 42);
        VhdFooter.Parse(footer.ToBytes(), 0).ShouldBe(footer with { Checksum = VhdFooter.Parse(footer.ToBytes(), 0).Checksum });
        var header = VhdWriter.CreateHeader(123456789, new VhdParent(Guid.NewGuid(), 7, "parent.vhd"));
        var parsed = VhdHeader.Parse(header.ToBytes(), 512);
        parsed.ParentUnicodeName.ShouldBe("parent.vhd");
        parsed.MaxTableEntries.ShouldBe(59u);
        parsed.ParentLocators.ShouldBe(header.ParentLocators);
    }
}
