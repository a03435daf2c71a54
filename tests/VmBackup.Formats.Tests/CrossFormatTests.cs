using VmBackup.Formats.Cbt;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Tests.Vhd;
using VmBackup.Formats.Tests.Xva;
using VmBackup.Formats.Vhd;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests;

public class CrossFormatTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(40, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Disk_ThroughXvaThenVhdThenCbtDelta_IsPreserved(int seed)
    {
        // full backup: disk -> zstd XVA -> raw
        var baseDisk = SparseDisk.Random(seed, maxMiB: 12);
        var xva = await XvaTestData.WriteAsync([("Ref:1", baseDisk)], new XvaWriterOptions { Compression = CompressionKind.Zstd });
        var (_, handler) = await XvaTestData.ReadAsync(xva);
        var restored = handler.Disks["Ref:1"].Data;
        ByteAssert.Equal(baseDisk.Data, restored, "via XVA");

        // raw -> dynamic VHD (only the blocks the XVA carried) -> raw
        var extents = RawExtents.Normalize(handler.Disks["Ref:1"].Writes);
        var vhd = new MemoryStream();
        await VhdWriter.WriteDynamicAsync(vhd, SparseDisk.FromBytes(restored, extents), null, null, CancellationToken.None);
        var fromVhd = await VhdTestFiles.StreamReadAsync(vhd.ToArray());
        ByteAssert.Equal(baseDisk.Data, fromVhd.Data, "via XVA then VHD");

        // incremental: CBT bitmap of the changes -> differencing VHD of those blocks -> applied on the restored base
        var newDisk = baseDisk.Modify(seed + 1);
        var changed = CbtBitmap.Decode(CbtBitmap.Encode(newDisk.Changed, newDisk.Size), newDisk.Size);
        var diff = new MemoryStream();
        await VhdWriter.WriteDifferencingAsync(diff, newDisk, RawExtents.ToVhdBlocks(changed), new VhdParent(Guid.NewGuid(), 0, "base.vhd"), null, CancellationToken.None);
        var applied = await VhdTestFiles.ReadAsync(diff.ToArray(), fromVhd.Data);
        ByteAssert.Equal(newDisk.Data, applied.Data, "base + CBT differencing VHD");
    }
}
