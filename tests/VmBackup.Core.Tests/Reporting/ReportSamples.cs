using VmBackup.Core.Nau.Run;
using VmBackup.Core.Reporting;

namespace VmBackup.Core.Tests.Reporting;

/// <summary>Status logs and reports used by the reporting tests.</summary>
internal static class ReportSamples
{
    public const string Host = "xen1.example.com";

    /// <summary>Two runs: the first (older) with vm-old, the second with web01 (success) and db01 (warning).</summary>
    public static readonly string[] StatusLog =
    [
        "2026/11/20 01:00:00,vmbackup.py,xen1,begin",
        "2026/11/20 01:00:01,vm-export,xen1,begin,vm-old",
        "2026/11/20 01:05:00,vm-export,xen1,end,SUCCESS vm-old,elapse:5 size:3G",
        "2026/11/20 01:05:01,vmbackup.py,xen1,end,SUCCESS,S:1 W:0 E:0",
        "2026/11/21 01:00:00,vmbackup.py,xen1,begin",
        "2026/11/21 01:00:01,vm-export,xen1,begin,web01",
        "2026/11/21 01:08:00,vm-export,xen1,end,SUCCESS web01,elapse:8 size:27G",
        "2026/11/21 01:08:01,vdi-export,xen1,begin,db01",
        "2026/11/21 01:09:00,vdi-export,xen1,end,WARNING db01,elapse:1 size:2G",
        "2026/11/21 01:09:01,vmbackup.py,xen1,end,WARNING,S:1 W:1 E:0",
    ];

    public static NauRunTally Tally(int successes, int warnings, int errors)
    {
        var tally = new NauRunTally();
        for (var i = 0; i < successes; i++)
        {
            tally.Record(NauVmStatus.Success);
        }

        for (var i = 0; i < warnings; i++)
        {
            tally.Record(NauVmStatus.Warning);
        }

        for (var i = 0; i < errors; i++)
        {
            tally.Record(NauVmStatus.Error);
        }

        return tally;
    }

    public static RunReport Warning() =>
        RunReportComposer.Compose(Tally(1, 1, 0), Host, StatusLog, ["2026-11-21-(01:09:01) - VmBackup ended - **WARNING(s)** - S:1 W:1 E:0"]);
}
