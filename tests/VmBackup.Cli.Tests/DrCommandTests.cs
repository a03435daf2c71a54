using System.CommandLine;
using VmBackup.Cli.Commands;
using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup dr ...</c>: pool A replicates its metadata onto a shared SR, pool B recovers from it.</summary>
public sealed class DrCommandTests : IDisposable
{
    private const string SrUuid = "7a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
    private const string DiskUuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    private readonly string _folder = Directory.CreateTempSubdirectory("vmbackup-dr-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Enable_then_status_lists_the_SR_the_protected_VM_and_warns_about_a_local_disk()
    {
        await using var a = await SimulatorFixture.StartAsync(PoolJson(primary: true));
        var (enable, enableOut, enableErr) = await RunAsync(a, "dr", "enable", "--sr", "Replicated");
        enable.ShouldBe(0, enableErr);
        enableOut.ShouldContain("enabled database replication on SR Replicated (" + SrUuid + ")");

        var (status, statusOut, _) = await RunAsync(a, "dr", "status");
        status.ShouldBe(2, "a VM is not covered");
        statusOut.ShouldContain("metadata on SR Replicated");
        statusOut.ShouldContain("protected: VM web");
        statusOut.ShouldContain("warning: VM db");
        statusOut.ShouldContain("SR Local");
    }

    [Fact]
    public async Task Dry_run_and_test_failover_leave_the_secondary_as_it_was_and_failover_starts_the_VM()
    {
        string webUuid;
        await using (var a = await SimulatorFixture.StartAsync(PoolJson(primary: true)))
        {
            (await RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
            webUuid = a.Simulator.Database.GetString("VM", a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "uuid");
        }

        await using var b = await SimulatorFixture.StartAsync(PoolJson(primary: false));
        var db = b.Simulator.Database;
        var before = Snapshot(b);

        var (dry, dryOut, dryErr) = await RunAsync(b, "dr", "failover", "--dry-run", "--vm", "web");
        dry.ShouldBe(0, dryErr);
        dryOut.ShouldContain("recover VM web (" + webUuid + ")");
        dryOut.ShouldContain("dry run: nothing changed");
        Snapshot(b).ShouldBe(before);

        var (test, testOut, testErr) = await RunAsync(b, "dr", "test-failover", "--vm", "web");
        test.ShouldBe(0, testErr + testOut);
        testOut.ShouldContain("checked VM web: 1 disk(s) present");
        testOut.ShouldContain("removed VM web");
        Snapshot(b).ShouldBe(before);
        db.FindByUuid("VDI", DiskUuid).ShouldNotBeNull("the disk stays");

        var (fail, failOut, failErr) = await RunAsync(b, "dr", "failover", "--vm", "web", "--start");
        fail.ShouldBe(0, failErr + failOut);
        var vm = db.FindByUuid("VM", webUuid).ShouldNotBeNull();
        db.GetString("VM", vm, "power_state").ShouldBe("Running");
        db.GetStrings("VM", vm, "VBDs").Select(vbd => db.GetString("VBD", vbd, "VDI")).ShouldBe([db.FindByUuid("VDI", DiskUuid)]);

        var (again, againOut, _) = await RunAsync(b, "dr", "failover", "--vm", "web");
        again.ShouldBe(2);
        againOut.ShouldContain("skip VM web (" + webUuid + "): conflict");
        db.FindByUuid("VM", webUuid).ShouldBe(vm, "not overwritten without --force");
    }

    [Fact]
    public async Task Failover_brings_the_same_disk_bytes_skips_a_VM_on_an_unreplicated_SR_and_force_replaces_a_copy()
    {
        string webUuid;
        byte[] onA = new byte[8 << 20];
        await using (var a = await SimulatorFixture.StartAsync(PoolJson(primary: true)))
        {
            (await RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
            var pool = a.Simulator.Pool;
            var disk = pool.DiskOf(a.Simulator.Database.FindByUuid("VDI", DiskUuid)!)!;
            pool.Disks.Write(disk, 3 << 20, Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31 + 7)).ToArray());
            pool.Disks.Read(disk, 0, onA);
            webUuid = a.Simulator.Database.GetString("VM", a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "uuid");
        }

        await using var b = await SimulatorFixture.StartAsync(PoolJson(primary: false));
        var db = b.Simulator.Database;

        var (all, allOut, allErr) = await RunAsync(b, "dr", "failover");

        all.ShouldBe(2, "db cannot be recovered: " + allErr + allOut);
        allOut.ShouldContain("skip VM db");
        db.FindByNameLabel("VM", "db").ShouldBeEmpty();
        var web = db.FindByUuid("VM", webUuid).ShouldNotBeNull();
        var onB = new byte[8 << 20];
        b.Simulator.Pool.Disks.Read(b.Simulator.Pool.DiskOf(db.FindByUuid("VDI", DiskUuid)!)!, 0, onB);
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(onB))
            .ShouldBe(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(onA)), "the recovered VM runs on the replicated bytes");

        var (forced, forcedOut, forcedErr) = await RunAsync(b, "dr", "failover", "--vm", "web", "--force");

        forced.ShouldBe(0, forcedErr + forcedOut);
        db.Where("VM", r => (string)r["uuid"] == webUuid).Count.ShouldBe(1, "--force replaces the copy, never duplicates it");
        db.FindByUuid("VDI", DiskUuid).ShouldNotBeNull("the disk is kept");
    }

    private static string Snapshot(SimulatorFixture sim)
    {
        var db = sim.Simulator.Database;
        string Uuids(string table) => string.Join(",", db.Where(table, _ => true).Select(r => db.GetString(table, r, "uuid")).Order(StringComparer.Ordinal));
        return $"VM:{Uuids("VM")} VBD:{Uuids("VBD")} VIF:{Uuids("VIF")} VDI:{Uuids("VDI")}";
    }

    private string PoolJson(bool primary) => $$"""
        {
          "default_templates": false,
          "srs": [
            { "name_label": "Replicated", "uuid": "{{SrUuid}}", "type": "lvmoiscsi", "shared": true, "default": true,
              "shared_storage": {{System.Text.Json.JsonSerializer.Serialize(_folder)}} },
            { "name_label": "Local", "type": "ext", "size": "10GiB" }
          ],
          "vms": [ {{(primary ? $$"""
            { "name_label": "web", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ], "vifs": [ { "device": "0" } ] },
            { "name_label": "db", "disks": [ { "size": "8MiB", "sr": "Local" } ] }
            """ : string.Empty)}} ]
        }
        """;

    private static Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, params string[] args) => DrSites.RunAsync(sim, args);
}
