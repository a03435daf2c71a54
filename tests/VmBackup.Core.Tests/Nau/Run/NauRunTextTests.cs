using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Run;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Tests.Nau.Run;

public sealed class NauRunTextTests
{
    private const long GiB = 1L << 30;
    private static readonly DateTimeOffset T0 = new(2019, 6, 30, 16, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59.999, 0)]
    [InlineData(60, 1)]
    [InlineData(497, 8)]
    [InlineData(86_400 + 3_600, 1_500)] // v3.25 drops the day and shows 60
    [InlineData(-5, 0)]
    public void ElapsedMinutes_WholeMinutesRoundedDown(double seconds, long expected)
    {
        NauRunText.ElapsedMinutes(T0, T0.AddSeconds(seconds)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(GiB - 1, 0)]
    [InlineData(GiB, 1)]
    [InlineData(27 * GiB + 500_000_000, 27)]
    [InlineData(61 * GiB - 1, 60)]
    [InlineData(61 * GiB, 61)]
    public void SizeGiB_IsFloor(long bytes, long expected)
    {
        NauRunText.SizeGiB(bytes).ShouldBe(expected);
    }

    [Theory]
    [InlineData(60, NauDataFileKind.Xva, NauSuccessMarker.Success)]
    [InlineData(61, NauDataFileKind.Xva, NauSuccessMarker.SuccessCompress)]
    [InlineData(61, NauDataFileKind.Raw, NauSuccessMarker.SuccessCompress)]
    [InlineData(61, NauDataFileKind.Vhd, NauSuccessMarker.SuccessCompress)]
    [InlineData(61, NauDataFileKind.XvaGzip, NauSuccessMarker.Success)]
    [InlineData(200, NauDataFileKind.XvaZstd, NauSuccessMarker.Success)]
    public void ChooseMarker_LargeUncompressedFilesGetSuccessCompress(long size, NauDataFileKind kind, NauSuccessMarker expected)
    {
        NauRunText.ChooseMarker(size, kind).ShouldBe(expected);
    }

    [Fact]
    public void MarkerLines_AreV325Lines()
    {
        NauRunText.MarkerLines("/b/DEV-1/backup-x/DEV-1.xva", 61, NauSuccessMarker.SuccessCompress).ShouldBe([
            NauLogLine.Log("*** LARGE FILE > 60G: /b/DEV-1/backup-x/DEV-1.xva : 61G"),
            NauLogLine.Log("*** success_compress: /b/DEV-1/backup-x/DEV-1.xva : 61G"),
        ]);
        NauRunText.MarkerLines("/b/f.xva", 60, NauSuccessMarker.Success).ShouldBe([NauLogLine.Log("*** success: /b/f.xva : 60G")]);
    }

    [Fact]
    public void ResultLines_AndFinishedDetails()
    {
        NauRunText.ResultLine(NauExportKind.VmExport, "DEV 1", NauVmStatus.Success, 8).ShouldBe(NauLogLine.Log("VmBackup vm-export DEV 1 - ***Success*** t:8"));
        NauRunText.ResultLine(NauExportKind.VdiExport, "DEV-2", NauVmStatus.Warning, 0).Message.ShouldBe("VmBackup vdi-export DEV-2 - ***WARNING*** t:0");
        NauRunText.FinishedDetail("DEV 1", NauVmStatus.Success, 8, 27).ShouldBe("SUCCESS DEV 1,elapse:8 size:27G");
        NauRunText.FinishedDetail("DEV-2", NauVmStatus.Warning, 0, 0).ShouldBe("WARNING DEV-2,elapse:0 size:0G");
        Should.Throw<ArgumentOutOfRangeException>(() => NauRunText.ResultLine(NauExportKind.VmExport, "x", NauVmStatus.Error, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => NauRunText.FinishedDetail("x", NauVmStatus.Error, 0, 0));
    }

    [Fact]
    public void KindNames()
    {
        NauExportKind.VmExport.Name().ShouldBe("vm-export");
        NauExportKind.VdiExport.Name().ShouldBe("vdi-export");
    }
}
