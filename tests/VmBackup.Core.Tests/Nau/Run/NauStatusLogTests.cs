using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Tests.Nau.Run;

public sealed class NauStatusLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vmbackup-status-" + Guid.NewGuid().ToString("N"));

    public NauStatusLogTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Record_Format_UsesSlashDateAndOptionalDetail()
    {
        var t = new DateTimeOffset(2018, 10, 28, 1, 1, 2, TimeSpan.Zero);
        NauStatusLogRecord.Format(t, "vmbackup.py", "APA92", begin: true, detail: null).ShouldBe("2018/10/28 01:01:02,vmbackup.py,APA92,begin\n");
        NauStatusLogRecord.Format(t, "vm-export", "APA92", begin: false, "SUCCESS APA-BKP102WX,elapse:8 size:27G")
            .ShouldBe("2018/10/28 01:01:02,vm-export,APA92,end,SUCCESS APA-BKP102WX,elapse:8 size:27G\n");
    }

    [Fact]
    public async Task StatusLog_AppendsTheV325RecordsInLocalTime()
    {
        var path = Path.Combine(_dir, "status.log");
        await File.WriteAllTextAsync(path, "old line\n");
        var clock = new ManualTimeProvider(new DateTimeOffset(2018, 10, 27, 23, 1, 2, TimeSpan.Zero)); // 01:01:02 local
        var log = new NauStatusLog(path, NauRunText.ShortHostName("APA92.example.org"), clock);
        var tally = new NauRunTally();

        await log.AppendRunBeginAsync(CancellationToken.None);
        await log.AppendVmBeginAsync(NauExportKind.VmExport, "APA-BKP102WX", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(497));
        var minutes = NauRunText.ElapsedMinutes(clock.UtcNow.AddSeconds(-497), clock.UtcNow);
        await log.AppendVmEndAsync(NauExportKind.VmExport, NauRunText.FinishedDetail("APA-BKP102WX", NauVmStatus.Success, minutes, NauRunText.SizeGiB(29_000_000_000)), CancellationToken.None);
        tally.Record(NauVmStatus.Success);
        await log.AppendVmBeginAsync(NauExportKind.VdiExport, "DEV-2", CancellationToken.None);
        await log.AppendVmEndAsync(NauExportKind.VdiExport, NauStatusDetail.XvdaUuidNotFound("DEV-2"), CancellationToken.None);
        tally.Record(NauVmStatus.Error);
        clock.Advance(TimeSpan.FromHours(1));
        await log.AppendRunEndAsync(tally, CancellationToken.None);

        (await File.ReadAllTextAsync(path)).ShouldBe(
            "old line\n" +
            "2018/10/28 01:01:02,vmbackup.py,APA92,begin\n" +
            "2018/10/28 01:01:02,vm-export,APA92,begin,APA-BKP102WX\n" +
            "2018/10/28 01:09:19,vm-export,APA92,end,SUCCESS APA-BKP102WX,elapse:8 size:27G\n" +
            "2018/10/28 01:09:19,vdi-export,APA92,begin,DEV-2\n" +
            "2018/10/28 01:09:19,vdi-export,APA92,end,ERROR xvda-uuid not found DEV-2\n" +
            "2018/10/28 02:09:19,vmbackup.py,APA92,end,ERROR,S:1 W:0 E:1\n");
    }

    [Fact]
    public async Task StatusLog_MissingFolder_Throws()
    {
        var log = new NauStatusLog(Path.Combine(_dir, "missing", "status.log"), "h", TimeProvider.System);
        await Should.ThrowAsync<DirectoryNotFoundException>(() => log.AppendRunBeginAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("xs1.pool.example", "xs1")]
    [InlineData("xs1", "xs1")]
    [InlineData("", "")]
    public void ShortHostName_IsUpToTheFirstDot(string full, string expected)
    {
        NauRunText.ShortHostName(full).ShouldBe(expected);
    }

    [Fact]
    public void ErrorDetails_AreV325Strings()
    {
        string[] details =
        [
            NauStatusDetail.VerifyVmName("a b"), NauStatusDetail.XvdaUuidNotFound("v"), NauStatusDetail.XvdaNameLabelNotFound("v"),
            NauStatusDetail.VdiListFail("v"), NauStatusDetail.VdiSnapshotFail("v"), NauStatusDetail.VdiParamSetFail("v"),
            NauStatusDetail.VdiExportFail("v"), NauStatusDetail.VmUuidNotFound("v"), NauStatusDetail.VmUninstallFail1("v"),
            NauStatusDetail.SnapshotFail("v"), NauStatusDetail.TemplateParamSetFail("v"), NauStatusDetail.VmExportFail("v"),
        ];
        details.ShouldBe([
            "ERROR verify_vm_name a b", "ERROR xvda-uuid not found v", "ERROR xvda-name-label not found v",
            "VDI-LIST-FAIL v", "VDI-SNAPSHOT-FAIL v", "VDI-PARAM-SET-FAIL v",
            "VDI-EXPORT-FAIL v", "ERROR vm-uuid not found v", "VM-UNINSTALL-FAIL-1 v",
            "SNAPSHOT-FAIL v", "TEMPLATE-PARAM-SET-FAIL v", "VM-EXPORT-FAIL v",
        ]);
    }
}
