using System.Diagnostics;
using VmBackup.Cli.Nau;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Run;
using VmBackup.TestKit;
using XapiSim.DataPlane;

namespace VmBackup.Cli.Tests;

/// <summary>The backup engine's failure handling: per-VM errors, leftovers from earlier runs, the report hook, a lost pool.</summary>
public sealed class NauBackupEngineTests : IDisposable
{
    private readonly NauBackupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task SnapshotRefused_FailsThatVmOnly_AndTheRunGoesOn()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var before = NauBackupHarness.PoolLeftovers(sim);
        using var fault = sim.Simulator.Faults.FailMethod(new XapiSim.Faults.MethodFault("VM.snapshot", "SR_FULL", ["1024", "0"], Times: 1));

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=DEV-test", "vm-export=DEV-build");

        exit.ShouldBe(2, string.Join('\n', lines));
        lines.ShouldContain(l => l.StartsWith("ERROR 1.cmd: VM.snapshot vm=", StringComparison.Ordinal));
        lines.ShouldContain("ERROR reason: ['SR_FULL', '1024', '0']");
        lines.ShouldContain("VmBackup vm-export DEV-build - ***Success*** t:0");
        lines[^1].ShouldBe("VmBackup ended - **ERRORS DETECTED** - S:1 W:0 E:1");
        File.ReadAllLines(_h.StatusLog).ShouldContain(l => l.EndsWith(",vm-export,xs1,end,SNAPSHOT-FAIL DEV-test", StringComparison.Ordinal));
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);
    }

    [Fact]
    public async Task LeftoverRestoreSnapshot_FromAnEarlierRun_IsUninstalledFirst()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var before = NauBackupHarness.PoolLeftovers(sim);
        string leftoverUuid;
        await using (var session = await NauBackupHarness.ConnectAsync(sim))
        {
            var vm = await NauBackupHarness.VmAsync(session, "PROD-web");
            var leftover = await session.Vm.SnapshotAsync(vm, "RESTORE_PROD-web", CancellationToken.None);
            leftoverUuid = await session.Vm.GetUuidAsync(leftover, CancellationToken.None);
        }

        NauBackupHarness.PoolLeftovers(sim).Snapshots.ShouldBe(1);

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=PROD-web");

        exit.ShouldBe(0, string.Join('\n', lines));
        lines.ShouldContain("cleanup old-snap-vm-uuid: " + leftoverUuid);
        lines.ShouldContain($"cmd: vm-uninstall uuid={leftoverUuid} force=true");
        Array.IndexOf(lines, "cleanup old-snap-vm-uuid: " + leftoverUuid).ShouldBeLessThan(Array.FindIndex(lines, l => l.StartsWith("1.cmd:", StringComparison.Ordinal)));
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);
    }

    [Fact]
    public async Task ReportSender_ReceivesTallyResultsStatusLogAndHostName()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var sender = new RecordingSender();
        var output = new StringWriter();
        var command = new NauCommand(output, _h.Clock, FileSystemPathProbe.Instance, _ => null, sender);

        var exit = await command.RunAsync([sim.Credentials.Password, _h.Config("vdi-export=DEV-test", "vm-export=DEV-build"), "--server", sim.HttpUri.ToString()], CancellationToken.None);

        exit.ShouldBe(0, output.ToString());
        var result = sender.Results.ShouldHaveSingleItem();
        result.ExitCode.ShouldBe(0);
        result.FullHostName.ShouldBe("xs1.example.org");
        result.StatusLogPath.ShouldBe(_h.StatusLog);
        result.ConfigMode.ShouldBeTrue();
        result.Tally.Successes.ShouldBe(2);
        result.Tally.MailSubject(result.FullHostName).ShouldBe("Success xs1.example.org VmBackup.py");
        result.VmResults.Select(r => (r.Kind, r.VmName, r.Status)).ShouldBe(
            [(NauExportKind.VdiExport, "DEV-test", NauVmStatus.Success), (NauExportKind.VmExport, "DEV-build", NauVmStatus.Success)]);
        result.VmResults[0].DataFile.ShouldNotBeNull().ShouldEndWith("/DEV-test.raw");
        result.VmResults[0].Bytes.ShouldBe(64L << 20);
        File.ReadAllLines(_h.StatusLog)[^1].ShouldEndWith(",vmbackup.py,xs1,end,SUCCESS,S:2 W:0 E:0");
    }

    [Fact]
    public async Task PoolGoneMidExport_StopsTheRunWithExitTwo_AndSkipsTheRemainingVms()
    {
        var sim = await SimulatorFixture.StartAsync();
        var faults = TransferFaults.For(sim.Simulator.Pool);
        faults.StallAfterBytes = 2 << 20;
        faults.StallWithinBody = TimeSpan.FromSeconds(3);
        var partial = Path.Combine(_h.VmDir("DEV-test"), "backup-2024-03-09-(01:02:03)", "DEV-test.xva.partial");
        var run = _h.RunConfigAsync(sim, "vm-export=DEV-test", "vm-export=DEV-build");
        var waited = Stopwatch.StartNew();
        while (!File.Exists(partial) && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        File.Exists(partial).ShouldBeTrue();
        await sim.DisposeAsync();
        var (exit, lines) = await run;

        exit.ShouldBe(2, string.Join('\n', lines));
        lines.ShouldContain(l => l.StartsWith("ERROR the connection to the pool was lost", StringComparison.Ordinal));
        lines.ShouldNotContain("*** vm-export begin DEV-build");
        lines[^1].ShouldBe("VmBackup ended - **ERRORS DETECTED** - S:0 W:0 E:1");
        File.Exists(partial).ShouldBeFalse();
        NauBackupHarness.IsSuccessful(Path.GetDirectoryName(partial)!).ShouldBeFalse();
    }

    private sealed class RecordingSender : INauRunReportSender
    {
        public List<NauRunResult> Results { get; } = [];

        public Task SendAsync(NauRunResult result, CancellationToken cancellationToken)
        {
            Results.Add(result);
            return Task.CompletedTask;
        }
    }
}
