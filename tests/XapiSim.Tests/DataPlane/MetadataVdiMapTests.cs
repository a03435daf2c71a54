using System.Net;
using XapiSim.Faults;
using XapiSim.Model.Pool;
using XapiSim.Rpc;

namespace XapiSim.Tests.DataPlane;

/// <summary>
/// <c>PUT /import_metadata</c> with <c>restore=true</c> and the VDI map (<c>vdi:&lt;uuid&gt;=&lt;uuid&gt;</c>), as xapi's
/// import.ml: the map is keyed and resolved by uuid, a missing disk is <c>VDI_LOCATION_MISSING</c>, a failure after the
/// objects were created removes them.
/// </summary>
public sealed class MetadataVdiMapTests
{
    [Fact]
    public async Task Restore_with_a_vdi_map_keeps_the_identity_and_attaches_the_mapped_disk()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        var vm = h.Vm("DEV-test");
        var vmUuid = h.Uuid("VM", vm);
        var vdi = h.FirstDiskVdi(vm);
        var vdiUuid = h.Uuid("VDI", vdi);
        var vbdUuids = db.GetStrings("VM", vm, "VBDs").Select(v => h.Uuid("VBD", v)).Order(StringComparer.Ordinal).ToList();
        var macs = db.GetStrings("VM", vm, "VIFs").Select(v => db.GetString("VIF", v, "MAC")).Order(StringComparer.Ordinal).ToList();
        var version = (long)db.Get("VM", vm, "version");
        var metadata = await h.DownloadAsync("/export_metadata", "uuid=" + vmUuid + "&export_snapshots=false", "dev-test.vmmeta");
        var replacement = NewDisk(h, vdi, 0x5A);
        await DestroyAsync(h, "VM", vm);

        var (status, task) = await h.UploadAsync("/import_metadata", $"restore=true&vdi%3A{vdiUuid}={h.Uuid("VDI", replacement)}", metadata);

        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var restored = db.FindByUuid("VM", vmUuid).ShouldNotBeNull("restore=true keeps the VM's uuid");
        h.FirstDiskVdi(restored).ShouldBe(replacement, "the map wins over the original disk, which still exists");
        db.GetStrings("VM", restored, "VBDs").Select(v => h.Uuid("VBD", v)).Order(StringComparer.Ordinal).ShouldBe(vbdUuids);
        db.GetStrings("VM", restored, "VIFs").Select(v => db.GetString("VIF", v, "MAC")).Order(StringComparer.Ordinal).ShouldBe(macs);
        ((long)db.Get("VM", restored, "version")).ShouldBe(version + 1);
        db.Exists(vdi, "VDI").ShouldBeTrue("the original disk is left alone");
    }

    [Fact]
    public async Task A_ref_in_the_vdi_map_is_not_a_uuid_so_the_missing_original_disk_fails_the_import()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        var vm = h.Vm("DEV-test");
        var vmUuid = h.Uuid("VM", vm);
        var vdi = h.FirstDiskVdi(vm);
        var vdiUuid = h.Uuid("VDI", vdi);
        var sr = db.GetString("VDI", vdi, "SR");
        var location = db.GetString("VDI", vdi, "location");
        var metadata = await h.DownloadAsync("/export_metadata", "uuid=" + vmUuid + "&export_snapshots=false", "dev-test.vmmeta");
        var replacement = NewDisk(h, vdi, 0x33);
        await DestroyAsync(h, "VM", vm);
        await DestroyAsync(h, "VDI", vdi);
        db.Exists(vdi, "VDI").ShouldBeFalse();
        var vms = db.Count("VM");
        var vbds = db.Count("VBD");
        var vifs = db.Count("VIF");

        var (_, task) = await h.UploadAsync("/import_metadata", $"restore=true&vdi%3A{vdiUuid}={replacement}", metadata);

        (await h.WaitTaskAsync(task)).ShouldBe("failure");
        h.TaskError(task).ShouldBe(["VDI_LOCATION_MISSING", sr, location]);
        db.FindByUuid("VM", vmUuid).ShouldBeNull();
        (db.Count("VM"), db.Count("VBD"), db.Count("VIF")).ShouldBe((vms, vbds, vifs));
    }

    [Fact]
    public async Task A_failure_after_the_objects_were_created_removes_them_and_leaves_the_mapped_disk()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        var vm = h.Vm("DEV-test");
        var vmUuid = h.Uuid("VM", vm);
        var vdi = h.FirstDiskVdi(vm);
        var metadata = await h.DownloadAsync("/export_metadata", "uuid=" + vmUuid + "&export_snapshots=false", "dev-test.vmmeta");
        var replacement = NewDisk(h, vdi, 0x77);
        await DestroyAsync(h, "VM", vm);
        var counts = (db.Count("VM"), db.Count("VBD"), db.Count("VIF"), db.Count("VDI"));
        using var fault = h.Fixture.Simulator.Faults.FailMethod(new MethodFault("VM.metadata_import", "INTERNAL_ERROR", ["injected"]));

        var (_, task) = await h.UploadAsync("/import_metadata", $"restore=true&vdi%3A{h.Uuid("VDI", vdi)}={h.Uuid("VDI", replacement)}", metadata);

        (await h.WaitTaskAsync(task)).ShouldBe("failure");
        h.TaskError(task).ShouldBe(["INTERNAL_ERROR", "injected"]);
        db.FindByUuid("VM", vmUuid).ShouldBeNull();
        (db.Count("VM"), db.Count("VBD"), db.Count("VIF"), db.Count("VDI")).ShouldBe(counts);
        db.Exists(replacement, "VDI").ShouldBeTrue("the import never destroys a disk it did not create");
    }

    /// <summary>A new VDI of the size and SR of <paramref name="like"/>, filled with <paramref name="fill"/> at its start.</summary>
    private static string NewDisk(DataPlaneHarness h, string like, byte fill)
    {
        var db = h.Pool.Database;
        var created = new PoolObjects(h.Pool).CreateEmptyVdi(db.GetString("VDI", like, "SR"), "replacement", "user", (long)db.Get("VDI", like, "virtual_size"));
        h.Pool.Disks.Write(h.Pool.DiskOf(created)!, 0, Enumerable.Repeat(fill, 4096).ToArray());
        return created;
    }

    private static async Task DestroyAsync(DataPlaneHarness h, string className, string reference) =>
        await h.Fixture.Simulator.Dispatcher.CallAsync(className + ".destroy", [h.Session, reference], new RpcCallContext(RpcProtocol.JsonRpcV2, null, null), CancellationToken.None);
}
