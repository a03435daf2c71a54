using XapiSim.Rpc;

namespace XapiSim.Tests.DataPlane;

/// <summary>xapi's <c>assert_can_restore_backup</c>: a <c>restore=true</c> import refuses a MAC seed another VM uses.</summary>
public sealed class MetadataMacSeedTests
{
    [Fact]
    public async Task Restore_is_refused_while_another_vm_has_the_mac_seed_and_a_copy_gets_a_new_one()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        var vm = h.Vm("DEV-test");
        var vmUuid = h.Uuid("VM", vm);
        var seed = ((IReadOnlyDictionary<string, object>)db.Get("VM", vm, "other_config"))["mac_seed"].ShouldBeOfType<string>();
        var metadata = await h.DownloadAsync("/export_metadata", "uuid=" + vmUuid + "&export_snapshots=false", "dev-test.vmmeta");
        var context = new RpcCallContext(RpcProtocol.JsonRpcV2, null, null);
        await h.Fixture.Simulator.Dispatcher.CallAsync("VM.destroy", [h.Session, vm], context, CancellationToken.None);
        var other = db.GetAll("VM").First(v => db.GetString("VM", v, "uuid") != vmUuid && !(bool)db.Get("VM", v, "is_control_domain") && !(bool)db.Get("VM", v, "is_a_snapshot"));
        await h.Fixture.Simulator.Dispatcher.CallAsync("VM.remove_from_other_config", [h.Session, other, "mac_seed"], context, CancellationToken.None);
        await h.Fixture.Simulator.Dispatcher.CallAsync("VM.add_to_other_config", [h.Session, other, "mac_seed", seed], context, CancellationToken.None);
        var vms = db.Count("VM");

        var (_, refused) = await h.UploadAsync("/import_metadata", "restore=true", metadata);
        var (_, copied) = await h.UploadAsync("/import_metadata", "restore=false", metadata);

        (await h.WaitTaskAsync(refused)).ShouldBe("failure");
        h.TaskError(refused).ShouldBe(["DUPLICATE_MAC_SEED", seed]);
        (await h.WaitTaskAsync(copied)).ShouldBe("success", string.Join(",", h.TaskError(copied)));
        db.Count("VM").ShouldBe(vms + 1);
        db.FindByUuid("VM", vmUuid).ShouldBeNull("a copy gets a new uuid");
    }
}
