namespace XapiSim.Tests.Model;

public sealed class MiscMethodTests
{
    [Fact]
    public async Task Get_all_records_where_filters_by_field_expression()
    {
        await using var h = ModelHarness.Create();
        var records = await h.CallAsync<IReadOnlyDictionary<string, object>>("VM.get_all_records_where", "field \"is_a_template\"=\"false\" and not (field \"is_control_domain\"=\"true\")");
        records.Keys.ShouldBe([h.Vm("PROD-web"), h.Vm("DEV-halted")], ignoreOrder: true);
        (await h.CallAsync<IReadOnlyDictionary<string, object>>("VM.get_all_records_where", "field \"power_state\"=\"Running\" or field \"VCPUs_max\"=\"2\""))
            .Keys.ShouldContain(h.Vm("PROD-web"));
        (await h.FailAsync("VM.get_all_records_where", "field \"x\" ~ 1")).Code.ShouldBe("INVALID_VALUE");
    }

    [Fact]
    public async Task Allowed_devices_exclude_used_slots()
    {
        await using var h = ModelHarness.Create();
        var vbds = await h.CallAsync<IReadOnlyList<object>>("VM.get_allowed_VBD_devices", h.Vm("PROD-web"));
        vbds.ShouldNotContain("0");
        vbds.ShouldNotContain("1");
        vbds.ShouldNotContain("3");
        vbds.ShouldContain("2");
        (await h.CallAsync<IReadOnlyList<object>>("VM.get_allowed_VIF_devices", h.Vm("PROD-web"))).ShouldNotContain("0");
    }

    [Fact]
    public async Task Revert_replaces_owned_disks_with_clones_of_the_snapshot()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        var oldVdi = h.Db.GetString("VBD", h.Db.GetStrings("VM", vm, "VBDs").Single(), "VDI");
        var snapshot = await h.CallAsync<string>("VM.snapshot", vm, "before");
        await h.CallAsync("VM.set_VCPUs_max", vm, 8L);
        await h.CallAsync("VM.revert", snapshot);
        h.Db.Exists(oldVdi).ShouldBeFalse();
        var newVdi = h.Db.GetString("VBD", h.Db.GetStrings("VM", vm, "VBDs").Single(), "VDI");
        newVdi.ShouldNotBe(oldVdi);
        h.Record("VDI", newVdi)["is_a_snapshot"].ShouldBe(false);
        h.Record("VM", vm)["VCPUs_max"].ShouldBe(1L);
        h.Record("VM", vm)["power_state"].ShouldBe("Halted");
        (await h.FailAsync("VM.revert", vm)).Description.ShouldBe(["VM_NOT_A_SNAPSHOT", vm]);
    }

    [Fact]
    public async Task Copy_puts_disks_on_the_target_sr()
    {
        await using var h = ModelHarness.Create();
        var other = h.Db.FindByNameLabel("SR", "Other").Single();
        var copy = await h.CallAsync<string>("VM.copy", h.Vm("DEV-halted"), "copied", other);
        var vdi = h.Db.GetString("VBD", h.Db.GetStrings("VM", copy, "VBDs").Single(), "VDI");
        h.Db.GetString("VDI", vdi, "SR").ShouldBe(other);
        h.Db.GetStrings("SR", other, "VDIs").ShouldContain(vdi);
    }

    [Fact]
    public async Task Server_time_uses_the_time_provider()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var h = ModelHarness.Create(time: time);
        var master = h.Simulator.Pool.MasterRef;
        (await h.CallAsync<DateTime>("host.get_servertime", master)).ShouldBe(new DateTime(2030, 5, 6, 7, 8, 9, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Session_lifetime_expires_old_sessions()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var h = ModelHarness.Create(time: time);
        h.Simulator.Faults.SessionLifetime = TimeSpan.FromMinutes(5);
        await h.CallAsync("VM.get_all");
        time.Now += TimeSpan.FromMinutes(6);
        (await h.FailAsync("VM.get_all")).Code.ShouldBe("SESSION_INVALID");
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
