using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

/// <summary>vApps: <c>VM_appliance</c> create, allowed operations, start and shutdown in <c>VM.order</c> groups, recovery.</summary>
public sealed class ApplianceTests : IDisposable
{
    private const string ApplianceUuid = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
    private const string LocalSr = """, { "name_label": "Local", "type": "ext", "size": "10GiB" }""";

    private readonly string folder = Directory.CreateTempSubdirectory("dr-vapp-").FullName;

    private static string ThreeVms => """
        { "name_label": "web", "disks": [ { "size": "8MiB" } ], "vifs": [ { "device": "0" } ] },
        { "name_label": "app", "disks": [ { "size": "8MiB" } ] },
        { "name_label": "db", "disks": [ { "size": "8MiB" } ] },
        { "name_label": "web-snap", "snapshot_of": "web" }
        """;

    [Fact]
    public async Task Start_runs_the_VM_order_groups_ascending_and_shutdown_descending()
    {
        await using var pool = await SharedPool.StartAsync(SharedPool.PoolJson(DrSite.SrUuid, folder, ThreeVms));
        var db = pool.Simulator.Database;
        var appliance = (string)await pool.CallAsync("VM_appliance.create", new Dictionary<string, object> { ["name_label"] = "shop", ["name_description"] = "three tiers" });
        db.GetString("VM_appliance", appliance, "name_label").ShouldBe("shop");
        ((IReadOnlyList<object>)db.Get("VM_appliance", appliance, "allowed_operations")).ShouldBeEmpty();
        var empty = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM_appliance.start", appliance, false));
        empty.Code.ShouldBe("OPERATION_NOT_ALLOWED");
        empty.Parameters.ShouldBe(["Appliance has no VMs."]);

        var (web, app, dbVm) = (Vm(pool, "web"), Vm(pool, "app"), Vm(pool, "db"));
        foreach (var (vm, order) in new[] { (web, 2L), (app, 1L), (dbVm, 0L) })
        {
            await pool.CallAsync("VM.set_appliance", vm, appliance);
            await pool.CallAsync("VM.set_order", vm, order);
        }

        ((IReadOnlyList<object>)await pool.CallAsync("VM_appliance.get_VMs", appliance)).Cast<string>().Order().ShouldBe(new[] { web, app, dbVm }.Order());
        ((IReadOnlyList<object>)db.Get("VM_appliance", appliance, "allowed_operations")).ShouldBe(["start"]);
        var snapshot = Vm(pool, "web-snap");
        var refused = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM.set_appliance", snapshot, appliance));
        refused.Code.ShouldBe("OPERATION_NOT_ALLOWED");

        var token = await TokenAsync(pool);
        await pool.CallAsync("VM_appliance.start", appliance, false);
        new[] { web, app, dbVm }.ShouldAllBe(vm => db.GetString("VM", vm, "power_state") == "Running");
        (await VmEventOrderAsync(pool, token)).ShouldBe([dbVm, app, web]);
        ((IReadOnlyList<object>)db.Get("VM_appliance", appliance, "allowed_operations")).ShouldBe(["clean_shutdown", "hard_shutdown", "shutdown"]);
        ((IReadOnlyDictionary<string, object>)db.Get("VM_appliance", appliance, "current_operations")).ShouldBeEmpty();

        token = await TokenAsync(pool);
        await pool.CallAsync("VM_appliance.clean_shutdown", appliance);
        new[] { web, app, dbVm }.ShouldAllBe(vm => db.GetString("VM", vm, "power_state") == "Halted");
        (await VmEventOrderAsync(pool, token)).ShouldBe([web, app, dbVm]);
        ((IReadOnlyList<object>)db.Get("VM_appliance", appliance, "allowed_operations")).ShouldBe(["start"]);
        var halted = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM_appliance.hard_shutdown", appliance));
        halted.Parameters.ShouldBe(["All VMs in this appliance are halted."]);

        var template = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM.set_is_a_template", web, true));
        template.Code.ShouldBe("VM_IS_PART_OF_AN_APPLIANCE");
        template.Parameters.ShouldBe([web, appliance]);

        await pool.CallAsync("VM_appliance.destroy", appliance);
        db.Exists(appliance).ShouldBeFalse();
    }

    [Fact]
    public async Task A_VM_that_cannot_start_leaves_the_others_running_and_the_operation_partially_failed()
    {
        var vms = """
            { "name_label": "web", "disks": [ { "size": "8MiB" } ] },
            { "name_label": "sleepy", "power_state": "Suspended", "disks": [ { "size": "8MiB" } ] }
            """;
        await using var pool = await SharedPool.StartAsync(SharedPool.PoolJson(DrSite.SrUuid, folder, vms));
        var db = pool.Simulator.Database;
        var appliance = (string)await pool.CallAsync("VM_appliance.create", new Dictionary<string, object> { ["name_label"] = "pair" });
        var (web, sleepy) = (Vm(pool, "web"), Vm(pool, "sleepy"));
        await pool.CallAsync("VM.set_appliance", web, appliance);
        await pool.CallAsync("VM.set_appliance", sleepy, appliance);

        var failure = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM_appliance.start", appliance, false));
        failure.Code.ShouldBe("OPERATION_PARTIALLY_FAILED");
        failure.Parameters.ShouldBe(["VM_appliance.start", sleepy]);
        db.GetString("VM", web, "power_state").ShouldBe("Running");
        db.GetString("VM", sleepy, "power_state").ShouldBe("Suspended");

        await pool.CallAsync("VM_appliance.hard_shutdown", appliance);
        db.GetString("VM", web, "power_state").ShouldBe("Halted");
        db.GetString("VM", sleepy, "power_state").ShouldBe("Halted");
    }

    [Fact]
    public async Task Recover_recreates_the_appliance_with_its_uuid_and_VMs_and_reuses_it_the_next_time()
    {
        var vms = ThreeVms + """, { "name_label": "local", "disks": [ { "size": "8MiB", "sr": "Local" } ] }""";
        await using var site = await DrSite.FailoverAsync(folder, vms, extraSrsOfA: LocalSr, prepareA: async a =>
        {
            var db = a.Simulator.Database;
            var shop = (string)await a.CallAsync("VM_appliance.create", new Dictionary<string, object> { ["name_label"] = "shop", ["name_description"] = "three tiers" });
            db.Set("VM_appliance", shop, "uuid", ApplianceUuid);
            var broken = (string)await a.CallAsync("VM_appliance.create", new Dictionary<string, object> { ["name_label"] = "broken" });
            foreach (var name in new[] { "web", "app", "db" })
            {
                await a.CallAsync("VM.set_appliance", Vm(a, name), shop);
            }

            await a.CallAsync("VM.set_appliance", Vm(a, "local"), broken);
        });
        var live = site.B.Simulator.Database;
        var foreignShop = (string)await site.ForeignAsync("VM_appliance.get_by_uuid", ApplianceUuid);
        var foreignBroken = (string)((IReadOnlyList<object>)await site.ForeignAsync("VM_appliance.get_by_name_label", "broken")).ShouldHaveSingleItem();
        var foreignLocalSr = (string)((IReadOnlyList<object>)await site.ForeignAsync("SR.get_by_name_label", "Local")).ShouldHaveSingleItem();

        ((IReadOnlyList<object>)await site.ForeignAsync("VM_appliance.get_SRs_required_for_recovery", foreignShop, site.B.Session)).ShouldBeEmpty();
        ((IReadOnlyList<object>)await site.ForeignAsync("VM_appliance.get_SRs_required_for_recovery", foreignBroken, site.B.Session)).ShouldBe([foreignLocalSr]);
        await site.ForeignAsync("VM_appliance.assert_can_be_recovered", foreignShop, site.B.Session);
        var requires = await Should.ThrowAsync<XenApiFailure>(() => site.ForeignAsync("VM_appliance.recover", foreignBroken, site.B.Session, true));
        requires.Code.ShouldBe("VM_REQUIRES_SR");
        requires.Parameters.ShouldBe([await site.ForeignVmAsync("local"), foreignLocalSr]);
        live.GetAll("VM_appliance").ShouldBeEmpty();

        await site.ForeignAsync("VM_appliance.recover", foreignShop, site.B.Session, false);
        var shop = live.FindByUuid("VM_appliance", ApplianceUuid).ShouldNotBeNull();
        live.GetString("VM_appliance", shop, "name_label").ShouldBe("shop");
        live.GetString("VM_appliance", shop, "name_description").ShouldBe("three tiers");
        var members = live.GetStrings("VM_appliance", shop, "VMs").Select(vm => live.GetString("VM", vm, "name_label")).Order().ToList();
        members.ShouldBe(["app", "db", "web"]);
        live.FindByNameLabel("VM", "web-snap").ShouldHaveSingleItem("the snapshot is recovered, outside the appliance");
        ((IReadOnlyList<object>)live.Get("VM_appliance", shop, "allowed_operations")).ShouldBe(["start"]);

        await site.ForeignAsync("VM_appliance.recover", foreignShop, site.B.Session, true);
        live.GetAll("VM_appliance").ShouldBe([shop]);
        live.GetStrings("VM_appliance", shop, "VMs").Count.ShouldBe(3);
        live.GetStrings("VM_appliance", shop, "VMs").ShouldAllBe(vm => live.Exists(vm, "VM"));
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

    private static string Vm(SharedPool pool, string name) => pool.Simulator.Database.FindByNameLabel("VM", name).Single();

    private static async Task<string> TokenAsync(SharedPool pool)
        => (string)((IReadOnlyDictionary<string, object>)await pool.CallAsync("event.from", new List<object> { "vm" }, string.Empty, 0.0))["token"];

    /// <summary>The VMs in the order of their latest change after <paramref name="token"/>, as <c>event.from</c> reports them.</summary>
    private static async Task<List<string>> VmEventOrderAsync(SharedPool pool, string token)
    {
        var batch = (IReadOnlyDictionary<string, object>)await pool.CallAsync("event.from", new List<object> { "vm" }, token, 0.0);
        return [.. ((IReadOnlyList<object>)batch["events"]).Cast<IReadOnlyDictionary<string, object>>()
            .Where(e => (string)e["operation"] == "mod")
            .Select(e => (string)e["ref"])];
    }
}
