using XapiSim.Rpc;

namespace XapiSim.Tests.Model;

public sealed class VmLifecycleTests
{
    [Fact]
    public async Task Snapshot_has_xapi_fields_and_keeps_both_sides_of_relations()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("PROD-web");
        var before = h.Record("VM", vm);
        var snap = await h.CallAsync<string>("VM.snapshot", vm, "snap1");
        var s = h.Record("VM", snap);
        s["is_a_snapshot"].ShouldBe(true);
        s["is_a_template"].ShouldBe(true);
        s["snapshot_of"].ShouldBe(vm);
        s["power_state"].ShouldBe("Halted");
        ((DateTime)s["snapshot_time"]).ShouldBeGreaterThan(DateTime.UnixEpoch);
        s["parent"].ShouldBe(before["parent"]);
        s["resident_on"].ShouldBe("OpaqueRef:NULL");
        ((IReadOnlyDictionary<string, object>)s["snapshot_info"])["power-state-at-snapshot"].ShouldBe("Running");
        h.Db.GetStrings("VM", vm, "snapshots").ShouldContain(snap);

        var sourceVbds = h.Db.GetStrings("VM", vm, "VBDs");
        var snapVbds = h.Db.GetStrings("VM", snap, "VBDs");
        snapVbds.Count.ShouldBe(sourceVbds.Count);
        foreach (var vbd in snapVbds)
        {
            var record = h.Record("VBD", vbd);
            record["VM"].ShouldBe(snap);
            if ((string)record["type"] == "CD")
            {
                record["empty"].ShouldBe(true);
                continue;
            }

            var vdi = (string)record["VDI"];
            var vdiRecord = h.Record("VDI", vdi);
            vdiRecord["is_a_snapshot"].ShouldBe(true);
            var original = (string)vdiRecord["snapshot_of"];
            h.Db.GetStrings("VDI", original, "snapshots").ShouldContain(vdi);
            h.Db.GetStrings("VDI", vdi, "VBDs").ShouldBe([vbd]);
            h.Db.GetStrings("SR", (string)vdiRecord["SR"], "VDIs").ShouldContain(vdi);
            var sourceVbd = sourceVbds.Single(v => h.Db.GetString("VBD", v, "VDI") == original);
            record["userdevice"].ShouldBe(h.Db.GetString("VBD", sourceVbd, "userdevice"));
            record["other_config"].ShouldBe(h.Db.Get("VBD", sourceVbd, "other_config"));
        }
    }

    [Fact]
    public async Task Snapshot_ignores_listed_vdis_and_refuses_templates()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("PROD-web");
        var disks = h.Db.GetStrings("VM", vm, "VBDs").Select(v => h.Db.GetString("VBD", v, "VDI")).Where(v => v != "OpaqueRef:NULL").ToList();
        var snap = await h.CallAsync<string>("VM.snapshot", vm, "partial", new List<object> { disks[1] });
        h.Db.GetStrings("VM", snap, "VBDs").Count(v => h.Db.GetString("VBD", v, "type") == "Disk").ShouldBe(1);
        var template = h.Vm("Debian 12 Template");
        (await h.FailAsync("VM.snapshot", template, "x")).Description.ShouldBe(["VM_IS_TEMPLATE", template]);
    }

    [Fact]
    public async Task Pool_file_snapshot_is_a_real_snapshot()
    {
        await using var h = ModelHarness.Create();
        var snap = h.Vm("PROD-web before upgrade");
        h.Record("VM", snap)["snapshot_of"].ShouldBe(h.Vm("PROD-web"));
        h.Record("VM", snap)["is_a_snapshot"].ShouldBe(true);
    }

    [Fact]
    public async Task Destroy_needs_halted_and_keeps_vdis()
    {
        await using var h = ModelHarness.Create();
        var running = h.Vm("PROD-web");
        (await h.FailAsync("VM.destroy", running)).Description.ShouldBe(["VM_BAD_POWER_STATE", running, "halted;suspended", "running"]);
        var vm = h.Vm("DEV-halted");
        var vbds = h.Db.GetStrings("VM", vm, "VBDs");
        var vdi = h.Db.GetString("VBD", vbds[0], "VDI");
        (await h.CallAsync("VM.destroy", vm)).ShouldBe(RpcVoid.Instance);
        h.Db.Exists(vm).ShouldBeFalse();
        h.Db.Exists(vbds[0]).ShouldBeFalse();
        h.Db.Exists(vdi).ShouldBeTrue();
        h.Db.GetStrings("VDI", vdi, "VBDs").ShouldBeEmpty();
    }

    [Fact]
    public async Task Snapshots_and_checkpoints_can_be_destroyed_and_leave_their_vdis()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("PROD-web");
        var snap = await h.CallAsync<string>("VM.snapshot", vm, "s");
        var cp = await h.CallAsync<string>("VM.checkpoint", vm, "c");
        var vdis = h.Db.GetStrings("VM", snap, "VBDs").Select(v => h.Db.GetString("VBD", v, "VDI")).Where(v => v != "OpaqueRef:NULL").ToList();
        await h.CallAsync("VM.destroy", snap);
        await h.CallAsync("VM.destroy", cp);
        h.Db.GetStrings("VM", vm, "snapshots").ShouldNotContain(snap);
        vdis.ShouldAllBe(v => h.Db.Exists(v, "VDI"));
    }

    [Fact]
    public async Task Suspended_vm_from_the_pool_file_has_a_suspend_image_and_resumes()
    {
        await using var h = ModelHarness.Create("""{"vms":[{"name_label":"s","power_state":"Suspended","memory":"1GiB"}]}""");
        var vm = h.Vm("s");
        var suspend = h.Db.GetString("VM", vm, "suspend_VDI");
        h.Db.GetString("VDI", suspend, "type").ShouldBe("suspend");
        await h.CallAsync("VM.resume", vm, false, false);
        h.Record("VM", vm)["power_state"].ShouldBe("Running");
        h.Db.Exists(suspend).ShouldBeFalse();
    }

    [Fact]
    public async Task Start_shutdown_and_power_state_errors()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        await h.CallAsync("VM.start", vm, false, false);
        var record = h.Record("VM", vm);
        record["power_state"].ShouldBe("Running");
        record["resident_on"].ShouldBe(h.Simulator.Pool.MasterRef);
        ((long)record["domid"]).ShouldBeGreaterThan(0);
        h.Db.GetStrings("host", h.Simulator.Pool.MasterRef, "resident_VMs").ShouldContain(vm);
        (await h.FailAsync("VM.start", vm, false, false)).Description.ShouldBe(["VM_BAD_POWER_STATE", vm, "halted", "running"]);
        await h.CallAsync("VM.clean_shutdown", vm);
        h.Record("VM", vm)["power_state"].ShouldBe("Halted");
        (await h.FailAsync("VM.clean_shutdown", vm)).Description.ShouldBe(["VM_BAD_POWER_STATE", vm, "running", "halted"]);
        (await h.FailAsync("VM.start", h.Vm("Debian 12 Template"), false, false)).Code.ShouldBe("VM_IS_TEMPLATE");
    }

    [Fact]
    public async Task Checkpoint_is_suspended_with_a_suspend_vdi_and_clone_is_not_a_snapshot()
    {
        await using var h = ModelHarness.Create();
        var cp = await h.CallAsync<string>("VM.checkpoint", h.Vm("PROD-web"), "cp");
        h.Record("VM", cp)["power_state"].ShouldBe("Suspended");
        h.Db.GetString("VDI", h.Db.GetString("VM", cp, "suspend_VDI"), "type").ShouldBe("suspend");
        var clone = await h.CallAsync<string>("VM.clone", h.Vm("DEV-halted"), "copy");
        h.Record("VM", clone)["is_a_snapshot"].ShouldBe(false);
        h.Record("VM", clone)["parent"].ShouldBe(h.Vm("DEV-halted"));
    }

    [Fact]
    public async Task Control_domain_per_host_and_vbds_vifs_are_consistent()
    {
        await using var h = ModelHarness.Create();
        foreach (var host in h.Db.GetAll("host"))
        {
            var name = h.Db.GetString("host", host, "name_label");
            var dom0 = h.Vm("Control domain on host: " + name);
            h.Record("VM", dom0)["is_control_domain"].ShouldBe(true);
            h.Record("VM", dom0)["resident_on"].ShouldBe(host);
            h.Db.GetStrings("host", host, "PBDs").ShouldNotBeEmpty();
        }

        var web = h.Vm("PROD-web");
        var vif = h.Db.GetStrings("VM", web, "VIFs").Single();
        h.Db.GetString("VIF", vif, "MAC").ShouldMatch("^([0-9a-f]{2}:){5}[0-9a-f]{2}$");
        h.Db.GetStrings("network", h.Db.GetString("VIF", vif, "network"), "VIFs").ShouldContain(vif);
        var cd = h.Db.GetStrings("VM", web, "VBDs").Single(v => h.Db.GetString("VBD", v, "type") == "CD");
        h.Db.GetString("VBD", cd, "userdevice").ShouldBe("3");
        h.Db.GetString("VBD", cd, "device").ShouldBe("xvdd");
        h.Db.FindByNameLabel("VM", "Debian Bookworm 12").Single().ShouldSatisfyAllConditions(t => h.Record("VM", t)["is_default_template"].ShouldBe(true));
    }
}
