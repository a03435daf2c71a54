namespace XapiSim.Tests.Model;

public sealed class VmSettingsTests
{
    [Fact]
    public async Task Memory_setters_keep_the_constraint_order_and_need_halted_for_static_changes()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        await h.CallAsync("VM.set_memory_limits", vm, 256L << 20, 2L << 30, 1L << 30, 2L << 30);
        h.Record("VM", vm)["memory_dynamic_min"].ShouldBe(1L << 30);
        (await h.FailAsync("VM.set_memory_limits", vm, 256L << 20, 1L << 30, 2L << 30, 2L << 30)).Description.ShouldBe(["MEMORY_CONSTRAINT_VIOLATION_ORDER"]);
        await h.CallAsync("VM.set_memory", vm, "3221225472");
        h.Record("VM", vm)["memory_static_max"].ShouldBe(3L << 30);
        h.Record("VM", vm)["memory_dynamic_max"].ShouldBe(3L << 30);
        var running = h.Vm("PROD-web");
        (await h.FailAsync("VM.set_memory_static_max", running, 4L << 30)).Description.ShouldBe(["VM_BAD_POWER_STATE", running, "halted", "running"]);
        await h.CallAsync("VM.set_memory_dynamic_range", running, 1L << 30, 2L << 30);
        h.Record("VM", running)["memory_dynamic_min"].ShouldBe(1L << 30);
    }

    [Fact]
    public async Task Vm_create_makes_a_halted_vm_with_metrics()
    {
        await using var h = ModelHarness.Create();
        var vm = await h.CallAsync<string>("VM.create", new Dictionary<string, object>
        {
            ["name_label"] = "restored", ["memory_static_max"] = "1073741824", ["memory_dynamic_max"] = 1L << 30, ["memory_dynamic_min"] = 1L << 30,
            ["memory_static_min"] = 1L << 29, ["VCPUs_max"] = 2L, ["VCPUs_at_startup"] = 2L, ["is_a_template"] = false, ["power_state"] = "Running",
            ["other_config"] = new Dictionary<string, object> { ["restored_from"] = "backup" },
        });
        var record = h.Record("VM", vm);
        record["power_state"].ShouldBe("Halted");
        record["name_label"].ShouldBe("restored");
        record["VCPUs_max"].ShouldBe(2L);
        ((IReadOnlyDictionary<string, object>)record["other_config"])["restored_from"].ShouldBe("backup");
        h.Db.Exists((string)record["metrics"], "VM_metrics").ShouldBeTrue();
        ((IReadOnlyList<object>)record["allowed_operations"]).ShouldContain("start");
    }
}
