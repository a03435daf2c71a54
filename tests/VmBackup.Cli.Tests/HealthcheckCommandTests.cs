using VmBackup.Core.Restore;
using VmBackup.TestKit;
using XapiSim.Faults;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup healthcheck</c>: restore, boot, destroy, record; nothing is left on the pool either way.</summary>
public sealed class HealthcheckCommandTests : IDisposable
{
    private readonly RestoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task All_BootsEveryNewestBackup_RemovesIt_AndRecordsOk()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var xva = await _h.BackUpAsync(sim, "PROD-db", "vm-export=PROD-db");
        var raw = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test", "vdi_export_format=vhd");
        var before = RestoreHarness.Counts(sim);
        var starts = 0;

        var (exit, output, error) = await RestoreCommandTests.RunCommandAsync(_h.Backup.BackupDir, RestoreCommandTests.Env(sim), ["healthcheck", "--all", "--sr", "Local storage"]);

        exit.ShouldBe(0, output + error);
        output.ShouldContain("healthcheck: 2 ok, 0 failed");
        output.ShouldMatch(@"healthcheck PROD-db: OK: restored [0-9.]+ MiB in [0-9.]+ s \([0-9.]+ MB/s\), Running after [0-9.]+ s, removed");
        output.ShouldContain("with networks disconnected");
        RestoreHarness.Counts(sim).ShouldBe(before);
        foreach (var folder in new[] { xva, raw })
        {
            var record = HealthcheckRecord.Parse(await File.ReadAllTextAsync(Path.Combine(folder, HealthcheckRecord.FileName)));
            record.Ok.ShouldBeTrue();
            record.VmName.ShouldStartWith("healthcheck-");
            record.BytesSent.ShouldBeGreaterThan(0);
            starts++;
        }

        starts.ShouldBe(2);
        Directory.GetFiles(xva, "*.partial").ShouldBeEmpty();
    }

    [Fact]
    public async Task StartFailing_IsRecordedFailed_AndTheVmIsRemoved()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var before = RestoreHarness.Counts(sim);
        using var fault = sim.Simulator.Faults.FailMethod(new MethodFault("VM.start", "NO_HOSTS_AVAILABLE", []));

        var (exit, output, _) = await RestoreCommandTests.RunCommandAsync(_h.Backup.BackupDir, RestoreCommandTests.Env(sim), ["healthcheck", "DEV-test", "--sr", "Local storage"]);

        exit.ShouldBe(2);
        output.ShouldContain("healthcheck DEV-test: FAILED: XAPI NO_HOSTS_AVAILABLE");
        RestoreHarness.Counts(sim).ShouldBe(before);
        var record = HealthcheckRecord.Parse(await File.ReadAllTextAsync(Path.Combine(folder, HealthcheckRecord.FileName)));
        record.Ok.ShouldBeFalse();
        record.Message.ShouldContain("NO_HOSTS_AVAILABLE");
    }

    [Fact]
    public async Task DamagedBackup_IsRecordedFailed_WithNothingCreated()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test");
        File.Delete(Path.Combine(folder, "DISK-xvda", "vdi.cfg"));
        var before = RestoreHarness.Counts(sim);

        var (exit, output, _) = await RestoreCommandTests.RunCommandAsync(_h.Backup.BackupDir, RestoreCommandTests.Env(sim), ["healthcheck", "DEV-test", "--sr", "Local storage"]);

        exit.ShouldBe(2);
        output.ShouldContain("DISK-xvda/vdi.cfg is missing");
        RestoreHarness.Counts(sim).ShouldBe(before);
        HealthcheckRecord.Parse(await File.ReadAllTextAsync(Path.Combine(folder, HealthcheckRecord.FileName))).Ok.ShouldBeFalse();
    }

    [Fact]
    public async Task NeitherVmNorAll_IsAUsageError()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, _, error) = await RestoreCommandTests.RunCommandAsync(_h.Backup.BackupDir, RestoreCommandTests.Env(sim), ["healthcheck", "--sr", "Local storage"]);

        exit.ShouldBe(1);
        error.ShouldContain("name one VM or pass --all");
    }
}
