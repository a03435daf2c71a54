using System.CommandLine;
using System.Text.Json;
using VmBackup.Cli.Commands;
using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup metadata backup|list|restore</c> end to end against XapiSim's sample pool.</summary>
public sealed class MetadataCommandTests : IDisposable
{
    private readonly string _backupDir = Directory.CreateTempSubdirectory("vmbackup-metadata-cli-").FullName;
    private readonly SteppingClock _clock = new(new DateTimeOffset(2026, 5, 4, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_backupDir, recursive: true);

    [Fact]
    public async Task ListJson_IsAnArrayNewestFirst_WithDateVmsAndBytes_AndTheTableSaysTheSame()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var env = RestoreCommandTests.Env(sim);
        for (var i = 0; i < 3; i++)
        {
            var (exit, output, error) = await RunAsync(env, "metadata", "backup", "--keep", "2");
            exit.ShouldBe(0, error);
            output.ShouldMatch(@"metadata backup 2026-05-04-1[234]-00-00: 5 VM\(s\), \d+ bytes, in folder .*vm-metadata; [12] backup\(s\) kept");
        }

        var (listExit, json, listError) = await RunAsync(new Dictionary<string, string>(StringComparer.Ordinal), "metadata", "list", "--json");
        var (_, table, _) = await RunAsync(new Dictionary<string, string>(StringComparer.Ordinal), "metadata", "list");

        listExit.ShouldBe(0, listError);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        var items = doc.RootElement.EnumerateArray().ToList();
        items.Select(i => i.GetProperty("date").GetString()).ShouldBe(["2026-05-04T14:00:00Z", "2026-05-04T13:00:00Z"], "--keep 2, newest first");
        items.ShouldAllBe(i => i.GetProperty("vms").GetInt32() == 5 && i.GetProperty("bytes").GetInt64() > 0);
        table.ShouldContain("2 metadata backup(s) in folder");
        table.ShouldContain("2026-05-04 14:00:00      5");
    }

    [Fact]
    public async Task SrTarget_KeepsBackupsInTheVdi_AndABackupOverTheLimitFails_KeepingTheEarlierOnes()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var env = RestoreCommandTests.Env(sim);
        (await RunAsync(env, "metadata", "backup", "--sr", "NFS shared")).Exit.ShouldBe(0);
        (await RunAsync(env, "metadata", "backup", "--sr", "NFS shared")).Exit.ShouldBe(0);
        var (_, before, _) = await RunAsync(env, "metadata", "list", "--sr", "NFS shared", "--json");

        var (exit, _, error) = await RunAsync(env, "metadata", "backup", "--sr", "NFS shared", "--max-size", "65536");
        var (_, after, _) = await RunAsync(env, "metadata", "list", "--sr", "NFS shared", "--json");

        exit.ShouldBe(2);
        error.ShouldContain("vmbackup metadata backup: the metadata backup does not fit");
        error.ShouldContain("holds at most 0.1 MiB");
        JsonDocument.Parse(before).RootElement.GetArrayLength().ShouldBe(2);
        after.ShouldBe(before);
        Directory.Exists(Path.Combine(_backupDir, "vm-metadata")).ShouldBeFalse("--sr writes nothing to the backup folder");
    }

    [Fact]
    public async Task Restore_DryRunReportsAndChangesNothing_ThenRecreatesADestroyedVm_AndReportsExistingOnesAsConflicts()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var env = RestoreCommandTests.Env(sim);
        (await RunAsync(env, "metadata", "backup")).Exit.ShouldBe(0);
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var vm = await NauBackupHarness.VmAsync(session, "DEV-test");
        var uuid = await session.Vm.GetUuidAsync(vm, CancellationToken.None);
        await session.Vm.DestroyAsync(vm, CancellationToken.None);
        var vms = sim.Simulator.Database.Count("VM");

        var (dryExit, dry, dryError) = await RunAsync(env, "metadata", "restore", "--vm", "DEV-test", "--dry-run");
        sim.Simulator.Database.Count("VM").ShouldBe(vms);
        var (exit, output, error) = await RunAsync(env, "metadata", "restore", "--vm", "DEV-test", "--vm", "PROD-web");

        dryExit.ShouldBe(0, dryError);
        dry.ShouldContain("(dry run: nothing changed)");
        dry.ShouldContain($"would create: VM 'DEV-test' uuid {uuid}");
        exit.ShouldBe(2, error);
        output.ShouldContain($"created: VM 'DEV-test' uuid {uuid}");
        output.ShouldContain("conflict: VM 'PROD-web'");
        (await session.Vm.GetNameLabelAsync(await session.Vm.GetByUuidAsync(uuid, CancellationToken.None), CancellationToken.None)).ShouldBe("DEV-test");
        (await session.Vm.GetByNameLabelAsync("PROD-web", CancellationToken.None)).Count.ShouldBe(1, "not overwritten, not duplicated");
    }

    [Fact]
    public async Task RestoreBySr_RestoresOnlyTheVmsWithADiskOnThatSr_WithDryRun_AndListShowsTheIndexedSrs()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var env = RestoreCommandTests.Env(sim);
        (await RunAsync(env, "metadata", "backup")).Exit.ShouldBe(0);
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var srs = await session.Sr.GetAllRecordsAsync(CancellationToken.None);
        string Sr(string name) => srs.Values.Single(s => s.NameLabel == name).Uuid;
        var uuids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "DEV-test", "DEV-build" })
        {
            var vm = await NauBackupHarness.VmAsync(session, name);
            uuids[name] = await session.Vm.GetUuidAsync(vm, CancellationToken.None);
            await session.Vm.DestroyAsync(vm, CancellationToken.None);
        }

        var vms = sim.Simulator.Database.Count("VM");

        var (_, json, _) = await RunAsync(env, "metadata", "list", "--json");
        var (_, table, _) = await RunAsync(env, "metadata", "list");
        var (dryExit, dry, dryError) = await RunAsync(env, "metadata", "restore", "--by-sr", "ISO library", "--dry-run");
        sim.Simulator.Database.Count("VM").ShouldBe(vms);
        var (exit, output, error) = await RunAsync(env, "metadata", "restore", "--by-sr", Sr("Local storage"));
        var (badExit, _, badError) = await RunAsync(env, "metadata", "restore", "--by-sr", "nope", "--dry-run");

        JsonDocument.Parse(json).RootElement[0].GetProperty("srs").EnumerateArray().Select(e => e.GetString()).ShouldBe(
            new[] { Sr("Local storage"), Sr("NFS shared"), Sr("ISO library") }.Order(StringComparer.Ordinal));
        table.ShouldContain(Sr("ISO library"));
        dryExit.ShouldBe(0, dryError);
        dry.ShouldContain($"would create: VM 'DEV-build' uuid {uuids["DEV-build"]}");
        dry.ShouldNotContain("DEV-test", customMessage: "DEV-test has no disk on the ISO SR");
        exit.ShouldBe(0, error);
        output.ShouldContain($"created: VM 'DEV-test' uuid {uuids["DEV-test"]}");
        output.ShouldContain($"created: VM 'DEV-build' uuid {uuids["DEV-build"]}");
        output.ShouldNotContain("PROD-", customMessage: "the VMs on other SRs are not touched (not even as conflicts)");
        sim.Simulator.Database.Count("VM").ShouldBe(vms + 2);
        badExit.ShouldBe(2);
        badError.Trim().ShouldStartWith("vmbackup metadata restore: SR 'nope' is not in the by-SR index of metadata backup 2026-05-04-12-00-00");
        badError.Trim().ShouldNotContain('\n');
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        env["VMBACKUP_BACKUP_DIR"] = _backupDir;
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : null;
        var root = new RootCommand { MetadataCommand.Create(output, error, Lookup, _clock) };
        var exit = await root.Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A clock that moves one hour each time a backup asks it the time.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _next = start;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _next;
            _next += TimeSpan.FromHours(1);
            return now;
        }
    }
}
