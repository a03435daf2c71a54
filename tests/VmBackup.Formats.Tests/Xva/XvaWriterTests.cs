using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests.Xva;

public class XvaWriterTests
{
    [Fact]
    public async Task DiskNotInOvaXml_IsRejected()
    {
        var disk = SparseDisk.FromBytes(new byte[4096]);
        var e = await Should.ThrowAsync<ArgumentException>(() => XvaWriter.WriteAsync(new MemoryStream(), XvaTestData.Metadata([("Ref:1", 4096)]), [new XvaDisk("Ref:2", disk)], null, CancellationToken.None));
        e.Message.ShouldContain("Ref:2 is not a VDI");
    }

    [Fact]
    public async Task SizeMismatch_IsRejected()
    {
        var disk = SparseDisk.FromBytes(new byte[4096]);
        var e = await Should.ThrowAsync<ArgumentException>(() => XvaWriter.WriteAsync(new MemoryStream(), XvaTestData.Metadata([("Ref:1", 8192)]), [new XvaDisk("Ref:1", disk)], null, CancellationToken.None));
        e.Message.ShouldContain("differs from the VDI virtual_size 8192");
    }

    [Fact]
    public async Task AllZeroDisk_HasOnlyFirstAndLastChunk_AndReadsNothingElse()
    {
        var disk = SparseDisk.FromBytes(new byte[(10 * 1024 * 1024) + 7], []);
        var xva = await XvaTestData.WriteAsync([("Ref:1", disk)], new XvaWriterOptions());
        disk.ReadRanges.Select(r => r.Offset / (1024 * 1024)).ShouldBe([0L, 10L]);
        var (result, handler) = await XvaTestData.ReadAsync(xva);
        result.Disks.Single().ChunkEntries.ShouldBe(2);
        handler.Disks["Ref:1"].Writes.Last().Length.ShouldBe(7);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var disk = SparseDisk.Random(1, maxMiB: 3);
        await Should.ThrowAsync<OperationCanceledException>(() => XvaWriter.WriteAsync(new MemoryStream(), XvaTestData.Metadata([("Ref:1", disk.Size)]), [new XvaDisk("Ref:1", disk)], null, cts.Token));
    }
}
