using VmBackup.Core.Nau.Run;
using VmBackup.Core.Reporting;

namespace VmBackup.Core.Tests.Reporting;

public sealed class RunReportComposerTests
{
    [Theory]
    [InlineData(1, 0, 0, NauVmStatus.Success, "Success xen1.example.com VmBackup.py")]
    [InlineData(1, 1, 0, NauVmStatus.Warning, "WARNING xen1.example.com VmBackup.py")]
    [InlineData(1, 1, 1, NauVmStatus.Error, "ERROR xen1.example.com VmBackup.py")]
    public void Compose_Status_V325Subject(int s, int w, int e, NauVmStatus status, string subject)
    {
        var report = RunReportComposer.Compose(ReportSamples.Tally(s, w, e), ReportSamples.Host, ReportSamples.StatusLog, []);

        report.Status.ShouldBe(status);
        report.Subject.ShouldBe(subject);
        report.FullHostName.ShouldBe(ReportSamples.Host);
    }

    [Fact]
    public void Compose_TwoRunsInLog_BodyHasSummaryThisRunsRecordsAndConsole()
    {
        var report = ReportSamples.Warning();

        report.Body.Split('\n').ShouldBe(
        [
            "VmBackup run on xen1.example.com: WARNING - S:1 W:1 E:0",
            "",
            "VM results:",
            "  SUCCESS web01,elapse:8 size:27G",
            "  WARNING db01,elapse:1 size:2G",
            "",
            "Status log of this run:",
            .. ReportSamples.StatusLog[4..],
            "",
            "Console output of this run:",
            "2026-11-21-(01:09:01) - VmBackup ended - **WARNING(s)** - S:1 W:1 E:0",
            "",
        ]);
        report.Vms.ShouldBe(
        [
            new RunReportVmResult(NauVmStatus.Success, "vm-export", "SUCCESS web01,elapse:8 size:27G"),
            new RunReportVmResult(NauVmStatus.Warning, "vdi-export", "WARNING db01,elapse:1 size:2G"),
        ]);
    }

    [Fact]
    public void VmResults_ErrorDetails_AreErrors()
    {
        var results = RunReportComposer.VmResults(
        [
            "2026/11/21 01:00:00,vm-export,xen1,end,ERROR vm-uuid not found web02",
            "2026/11/21 01:00:00,vdi-export,xen1,end,VDI-EXPORT-FAIL db02",
            "2026/11/21 01:00:00,vm-export,xen1,begin,web03",
        ]);

        results.Select(r => r.Status).ShouldBe([NauVmStatus.Error, NauVmStatus.Error]);
    }

    [Fact]
    public void ThisRun_NoBeginRecord_Empty_AndBodySaysSo()
    {
        string[] log = ["2026/11/21 01:08:00,vm-export,xen1,end,SUCCESS web01,elapse:8 size:27G"];

        RunReportComposer.ThisRun(log).ShouldBeEmpty();
        RunReportComposer.Compose(ReportSamples.Tally(1, 0, 0), ReportSamples.Host, log, []).Body
            .ShouldContain("(no begin record of this run in the status log)\n");
    }

    [Fact]
    public void Compose_LongConsole_KeepsLastLinesWithNote()
    {
        var console = Enumerable.Range(1, RunReportComposer.MaxSectionLines + 5).Select(i => "line " + i).ToList();

        var body = RunReportComposer.Compose(ReportSamples.Tally(1, 0, 0), ReportSamples.Host, ReportSamples.StatusLog, console).Body;

        body.ShouldContain("(… 5 earlier lines left out)\nline 6\n");
        body.ShouldNotContain("line 5\n");
        body.ShouldEndWith($"line {RunReportComposer.MaxSectionLines + 5}\n");
    }

    [Fact]
    public async Task ComposeAsync_ReadsStatusLogFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, string.Join('\n', ReportSamples.StatusLog) + "\n");

            var report = await RunReportComposer.ComposeAsync(ReportSamples.Tally(1, 1, 0), ReportSamples.Host, path, [], CancellationToken.None);

            report.Body.ShouldContain("2026/11/21 01:09:01,vmbackup.py,xen1,end,WARNING,S:1 W:1 E:0\n");
            report.Body.ShouldNotContain("vm-old");
            report.Vms.Count.ShouldBe(2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ComposeAsync_MissingStatusLog_NotedInBody()
    {
        var path = Path.Combine(Path.GetTempPath(), "vmbackup-no-such-status-" + Guid.NewGuid().ToString("N"));

        var report = await RunReportComposer.ComposeAsync(ReportSamples.Tally(0, 0, 1), ReportSamples.Host, path, ["x"], CancellationToken.None);

        report.Body.ShouldContain($"(status log {path} not readable: ");
        report.Subject.ShouldBe("ERROR xen1.example.com VmBackup.py");
    }
}
