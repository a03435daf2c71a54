using System.Net;

namespace XapiSim.Tests.DataPlane;

/// <summary><c>GET /export_metadata</c> and <c>PUT /import_metadata</c> (what <c>xe vm-import --metadata</c> uses).</summary>
public sealed class MetadataImportTests
{
    [Fact]
    public async Task Metadata_of_a_destroyed_vm_recreates_it_on_its_existing_disks_and_dry_run_creates_nothing()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Vm("DEV-test");
        var vmUuid = h.Uuid("VM", vm);
        var vdi = h.FirstDiskVdi(vm);
        var vdiUuid = h.Uuid("VDI", vdi);
        var diskBefore = await h.RawSha256Async(vdi);
        var metadata = await h.DownloadAsync("/export_metadata", "uuid=" + vmUuid, "dev-test.vmmeta");

        // The VM goes away; its disk stays (VM.destroy does not destroy VDIs).
        await h.Fixture.Simulator.Dispatcher.CallAsync("VM.destroy", [h.Session, vm], new XapiSim.Rpc.RpcCallContext(XapiSim.Rpc.RpcProtocol.JsonRpcV2, null, null), CancellationToken.None);
        h.Pool.Database.FindByUuid("VM", vmUuid).ShouldBeNull();
        var vmsBefore = h.Pool.Database.Count("VM");

        var (dryStatus, dryTask) = await h.UploadAsync("/import_metadata", "restore=true&dry_run=true", metadata);
        dryStatus.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(dryTask)).ShouldBe("success", string.Join(",", h.TaskError(dryTask)));
        h.Pool.Database.Count("VM").ShouldBe(vmsBefore, "a dry run creates nothing");

        var (status, task) = await h.UploadAsync("/import_metadata", "restore=true", metadata);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var restored = h.Pool.Database.FindByUuid("VM", vmUuid);
        restored.ShouldNotBeNull("restore=true keeps the VM's uuid");
        h.Pool.Database.GetString("VM", restored, "name_label").ShouldBe("DEV-test");
        h.FirstDiskVdi(restored).ShouldBe(vdi, "the VM points at its existing disk, no copy was made");
        h.Uuid("VDI", h.FirstDiskVdi(restored)).ShouldBe(vdiUuid);
        (await h.RawSha256Async(vdi)).ShouldBe(diskBefore);

        // The VM exists now: restoring the same metadata again is a conflict, not an overwrite.
        var (_, again) = await h.UploadAsync("/import_metadata", "restore=true", metadata);
        (await h.WaitTaskAsync(again)).ShouldBe("failure");
        h.TaskError(again).ShouldNotBeEmpty();
        h.Pool.Database.Where("VM", r => (string)r["uuid"] == vmUuid).Count.ShouldBe(1);
    }
}
