using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Tests.Nau.Run;

public sealed class NauRunTallyTests
{
    private static NauRunTally Tally(int s, int w, int e)
    {
        var t = new NauRunTally();
        for (var i = 0; i < s; i++)
        {
            t.Record(NauVmStatus.Success);
        }

        for (var i = 0; i < w; i++)
        {
            t.Record(NauVmStatus.Warning);
        }

        for (var i = 0; i < e; i++)
        {
            t.Record(NauVmStatus.Error);
        }

        return t;
    }

    [Fact]
    public void AllSuccessful()
    {
        var t = Tally(3, 0, 0);
        t.Summary.ShouldBe("S:3 W:0 E:0");
        t.StatusLogEndDetail.ShouldBe("SUCCESS,S:3 W:0 E:0");
        t.EndLine.ShouldBe(NauLogLine.Log("VmBackup ended - Success - S:3 W:0 E:0"));
        t.ExitCode.ShouldBe(NauExitCode.Success);
        t.MailSubject("xs1.example").ShouldBe("Success xs1.example VmBackup.py");
    }

    [Fact]
    public void WarningsOnly_ExitZero()
    {
        var t = Tally(1, 2, 0);
        t.StatusLogEndDetail.ShouldBe("WARNING,S:1 W:2 E:0");
        t.EndLine.Message.ShouldBe("VmBackup ended - **WARNING(s)** - S:1 W:2 E:0");
        t.ExitCode.ShouldBe(0);
        t.MailSubject("h").ShouldBe("WARNING h VmBackup.py");
    }

    [Fact]
    public void AnyError_IsError_AndExits2()
    {
        var t = Tally(1, 1, 1);
        t.Overall.ShouldBe(NauVmStatus.Error);
        t.StatusLogEndDetail.ShouldBe("ERROR,S:1 W:1 E:1");
        t.EndLine.ShouldBe(NauLogLine.Log("VmBackup ended - **ERRORS DETECTED** - S:1 W:1 E:1"));
        t.ExitCode.ShouldBe(NauExitCode.RunFinishedWithFailures);
        t.MailSubject("h").ShouldBe("ERROR h VmBackup.py");
    }

    [Fact]
    public void PoolDumpFailure_CountsOneError()
    {
        var t = Tally(2, 0, 0);
        t.RecordPoolDumpFailure();
        t.Summary.ShouldBe("S:2 W:0 E:1");
        t.ExitCode.ShouldBe(2);
    }

    [Fact]
    public void EmptyRun_IsSuccess()
    {
        new NauRunTally().EndLine.Message.ShouldBe("VmBackup ended - Success - S:0 W:0 E:0");
    }
}
