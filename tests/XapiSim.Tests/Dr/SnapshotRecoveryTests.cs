using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

/// <summary>
/// Snapshots taken on the primary's replicated SR are on the LUN: the DR site introduces their VDIs and recovers a VM
/// with its snapshots without force, the snapshot disks holding the primary's point-in-time bytes.
/// </summary>
public sealed class SnapshotRecoveryTests : IDisposable
{
    private const string VmUuid = "1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

    private readonly string folder = Directory.CreateTempSubdirectory("dr-snap-").FullName;

    [Fact]
    public async Task A_pool_on_the_same_folder_recovers_a_VM_with_a_run_time_snapshot_without_force_and_its_point_in_time_bytes()
    {
        var atSnapshot = string.Empty;
        var afterSnapshot = string.Empty;
        var web = $$"""{ "name_label": "web", "uuid": "{{VmUuid}}", "disks": [ { "size": "8MiB", "fill": 0.5, "seed": 9 } ] }""";
        await using var site = await DrSite.FailoverAsync(folder, web, prepareA: async a =>
        {
            (atSnapshot, afterSnapshot) = await SnapshotThenWriteAsync(a);
        });
        var db = site.B.Simulator.Database;

        await site.RecoverAsync("web");

        var vm = db.FindByUuid("VM", VmUuid).ShouldNotBeNull();
        var snapshot = db.GetStrings("VM", vm, "snapshots").ShouldHaveSingleItem();
        db.GetString("VM", snapshot, "name_label").ShouldBe("web-before");
        (await site.B.RawSha256Async(DiskOf(site.B, snapshot))).ShouldBe(atSnapshot);
        (await site.B.RawSha256Async(DiskOf(site.B, vm))).ShouldBe(afterSnapshot);
        ((bool)db.Get("VDI", DiskOf(site.B, snapshot), "is_a_snapshot")).ShouldBeTrue();
        db.GetString("VDI", DiskOf(site.B, snapshot), "snapshot_of").ShouldBe(DiskOf(site.B, vm));
    }

    [Fact]
    public async Task A_DR_site_that_introduces_the_SR_with_DR_task_recovers_the_VM_with_its_snapshot_without_force()
    {
        string atSnapshot;
        string afterSnapshot;
        await using (var a = await SharedPool.StartAsync(DrSites.PrimaryJson(folder)))
        {
            (atSnapshot, afterSnapshot) = await SnapshotThenWriteAsync(a);
            await a.CallAsync("SR.enable_database_replication", a.Simulator.Database.FindByUuid("SR", DrSites.SrUuid)!);
        }

        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });
        var session = (string)await b.CallAsync("VDI.open_database", DrCalls.MetadataVdi(b)!);
        var foreignVm = (string)((IReadOnlyList<object>)await DrCalls.CallWithAsync(b, session, "VM.get_by_name_label", "web")).ShouldHaveSingleItem();

        await DrCalls.CallWithAsync(b, session, "VM.recover", foreignVm, b.Session, false);

        var db = b.Simulator.Database;
        var vm = db.FindByNameLabel("VM", "web").Single(r => !(bool)db.Get("VM", r, "is_a_snapshot"));
        var snapshot = db.GetStrings("VM", vm, "snapshots").ShouldHaveSingleItem();
        (await b.RawSha256Async(DiskOf(b, snapshot))).ShouldBe(atSnapshot);
        (await b.RawSha256Async(DiskOf(b, vm))).ShouldBe(afterSnapshot);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Writes to web's disk, snapshots web as "web-before", writes again; returns the disk's SHA-256 at the snapshot and after.</summary>
    private static async Task<(string AtSnapshot, string After)> SnapshotThenWriteAsync(SharedPool a)
    {
        var vdi = a.FirstDiskVdi("web");
        var disk = a.Simulator.Pool.DiskOf(vdi)!;
        a.Simulator.Pool.Disks.Write(disk, 3 << 20, Enumerable.Repeat((byte)0x44, 200_000).ToArray());
        var atSnapshot = await a.RawSha256Async(vdi);
        await a.CallAsync("VM.snapshot", a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "web-before", new List<object>());
        a.Simulator.Pool.Disks.Write(disk, 0, Enumerable.Repeat((byte)0x55, 300_000).ToArray());
        var after = await a.RawSha256Async(vdi);
        after.ShouldNotBe(atSnapshot);
        return (atSnapshot, after);
    }

    /// <summary>The VDI of the VM's only disk VBD.</summary>
    private static string DiskOf(SharedPool pool, string vm)
    {
        var db = pool.Simulator.Database;
        return db.GetStrings("VM", vm, "VBDs")
            .Where(vbd => db.GetString("VBD", vbd, "type") == "Disk")
            .Select(vbd => db.GetString("VBD", vbd, "VDI"))
            .ShouldHaveSingleItem();
    }
}
