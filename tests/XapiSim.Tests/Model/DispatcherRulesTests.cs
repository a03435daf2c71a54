using XapiSim.Rpc;

namespace XapiSim.Tests.Model;

public sealed class DispatcherRulesTests
{
    [Fact]
    public async Task Login_accepts_two_or_four_parameters_and_rejects_three()
    {
        await using var h = ModelHarness.Create();
        (await h.RawAsync("session.login_with_password", "root", "secret")).ShouldBeOfType<string>().ShouldStartWith("OpaqueRef:");
        (await h.RawAsync("session.login_with_password", "root", "secret", "1.1", "x")).ShouldBeOfType<string>().ShouldStartWith("OpaqueRef:");
        var failure = await Should.ThrowAsync<XenApiFailure>(() => h.RawAsync("session.login_with_password", "root"));
        failure.Description.ShouldBe(["MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "2", "1"]);
    }

    [Fact]
    public async Task Parameter_count_excludes_the_session()
    {
        await using var h = ModelHarness.Create();
        var failure = await h.FailAsync("VM.get_record");
        failure.Description.ShouldBe(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "1", "0"]);
        var snapshot = await h.FailAsync("VM.snapshot", h.Vm("PROD-web"));
        snapshot.Description.ShouldBe(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.snapshot", "2", "1"]);
        (await h.FailAsync("VM.copy", h.Vm("DEV-halted"), "x")).Description.ShouldBe(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.copy", "3", "2"]);
        var noSession = await Should.ThrowAsync<XenApiFailure>(() => h.RawAsync("VM.get_all"));
        noSession.Description.ShouldBe(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_all", "0", "-1"]);
    }

    [Fact]
    public async Task Unknown_removed_and_nonexistent_setter_methods()
    {
        await using var h = ModelHarness.Create();
        (await h.FailAsync("VM.frobnicate")).Description.ShouldBe(["MESSAGE_METHOD_UNKNOWN", "VM.frobnicate"]);
        (await h.FailAsync("VM.set_power_state", h.Vm("PROD-web"), "Halted")).Code.ShouldBe("MESSAGE_METHOD_UNKNOWN");
        (await h.FailAsync("VM.snapshot_with_quiesce", h.Vm("PROD-web"), "x")).Description.ShouldBe(["MESSAGE_REMOVED"]);
    }

    [Fact]
    public async Task Invalid_session_handle_and_uuid()
    {
        await using var h = ModelHarness.Create();
        var bad = await Should.ThrowAsync<XenApiFailure>(() => h.RawAsync("VM.get_all", "OpaqueRef:nope"));
        bad.Description.ShouldBe(["SESSION_INVALID", "OpaqueRef:nope"]);
        (await h.FailAsync("VM.get_record", "OpaqueRef:missing")).Description.ShouldBe(["HANDLE_INVALID", "VM", "OpaqueRef:missing"]);
        (await h.FailAsync("VM.get_by_uuid", "00000000-0000-0000-0000-000000000000")).Description.ShouldBe(["UUID_INVALID", "VM", "00000000-0000-0000-0000-000000000000"]);
    }

    [Fact]
    public async Task Bad_password_fails_after_the_delay()
    {
        await using var h = ModelHarness.Create();
        var started = DateTime.UtcNow;
        var failure = await Should.ThrowAsync<XenApiFailure>(() => h.RawAsync("session.login_with_password", "root", "wrong"));
        failure.Description.ShouldBe(["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"]);
        (DateTime.UtcNow - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(15));
    }

    [Fact]
    public async Task Login_on_a_member_answers_HOST_IS_SLAVE_with_the_master_address()
    {
        await using var h = ModelHarness.Create();
        var failure = await Should.ThrowAsync<XenApiFailure>(() => h.Simulator.Dispatcher.CallAsync("session.login_with_password", ["root", "secret"], ModelHarness.Context("127.0.0.2"), CancellationToken.None).AsTask());
        failure.Description.ShouldBe(["HOST_IS_SLAVE", "127.0.0.1"]);
    }

    [Fact]
    public async Task Xml_rpc_string_arguments_are_coerced_by_declared_type()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        await h.CallAsync("VM.set_VCPUs_max", vm, "4");
        h.Db.Get("VM", vm, "VCPUs_max").ShouldBe(4L);
        (await h.FailAsync("VM.set_VCPUs_max", vm, "four")).Description.ShouldBe(["FIELD_TYPE_ERROR", "value"]);
    }

    [Fact]
    public async Task Maps_and_tags_accessors()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        await h.CallAsync("VM.add_to_other_config", vm, "k", "v");
        (await h.FailAsync("VM.add_to_other_config", vm, "k", "w")).Description.ShouldBe(["MAP_DUPLICATE_KEY", "VM", "other_config", vm, "k"]);
        await h.CallAsync("VM.remove_from_other_config", vm, "k");
        (await h.CallAsync<IReadOnlyDictionary<string, object>>("VM.get_other_config", vm)).ContainsKey("k").ShouldBeFalse();
        await h.CallAsync("VM.add_tags", vm, "nightly");
        await h.CallAsync("VM.add_tags", vm, "nightly");
        (await h.CallAsync<IReadOnlyList<object>>("VM.get_tags", vm)).ShouldBe(["nightly"]);
        await h.CallAsync("VM.remove_tags", vm, "nightly");
        (await h.CallAsync<IReadOnlyList<object>>("VM.get_tags", vm)).ShouldBeEmpty();
        await h.CallAsync("VM.set_name_label", vm, "renamed");
        (await h.CallAsync<IReadOnlyList<object>>("VM.get_by_name_label", "renamed")).ShouldBe([vm]);
    }

    [Fact]
    public async Task List_methods_includes_async_variants_but_not_removed_ones()
    {
        await using var h = ModelHarness.Create();
        h.Simulator.Dispatcher.IsBareResultMethod("system.listMethods").ShouldBeTrue();
        var methods = ((IReadOnlyList<object>)await h.RawAsync("system.listMethods")).Cast<string>().ToList();
        methods.ShouldContain("VM.get_all_records");
        methods.ShouldContain("Async.VM.snapshot");
        methods.ShouldContain("VDI.list_changed_blocks");
        methods.ShouldNotContain("VM.snapshot_with_quiesce");
        methods.ShouldNotContain("Async.VM.get_record");
        methods.ShouldContain("Async.VM.start");
        methods.ShouldContain("Async.VDI.create");
        methods.ShouldNotContain("Async.VM.get_allowed_VBD_devices");
        methods.ShouldNotContain("Async.session.logout");
        methods.ShouldNotContain("Async.task.create");
        methods.ShouldContain("VM.get_all_records_where");
    }

    [Fact]
    public async Task Session_and_host_calls_made_after_login_by_sdks()
    {
        await using var h = ModelHarness.Create();
        var pool = (await h.CallAsync<IReadOnlyList<object>>("pool.get_all")).Single();
        var master = await h.CallAsync<string>("pool.get_master", pool);
        (await h.CallAsync<long>("host.get_API_version_major", master)).ShouldBe(2L);
        (await h.CallAsync<long>("host.get_API_version_minor", master)).ShouldBe(21L);
        var host = await h.CallAsync<IReadOnlyDictionary<string, object>>("host.get_record", master);
        ((IReadOnlyDictionary<string, object>)host["software_version"])["product_version"].ShouldBe("8.3.0");
        (await h.CallAsync<bool>("session.get_is_local_superuser", await h.LoginAsync())).ShouldBeTrue();
        var session = await h.LoginAsync();
        (await h.RawAsync("session.get_this_host", session, session)).ShouldBe(master);
        (await h.RawAsync("session.get_rbac_permissions", session, session)).ShouldBeAssignableTo<IReadOnlyList<object>>();
        (await h.RawAsync("session.get_auth_user_sid", session, session)).ShouldBe(string.Empty);
        (await h.RawAsync("session.logout", session)).ShouldBe(RpcVoid.Instance);
        (await Should.ThrowAsync<XenApiFailure>(() => h.RawAsync("VM.get_all", session))).Code.ShouldBe("SESSION_INVALID");
    }

    [Fact]
    public async Task Every_stored_class_answers_get_all_records_with_every_field()
    {
        await using var h = ModelHarness.Create();
        foreach (var cls in new[] { "pool", "host", "VM", "VM_metrics", "VM_guest_metrics", "VBD", "VDI", "SR", "PBD", "VIF", "network", "task", "console", "PIF", "host_metrics", "message", "secret", "VM_appliance", "host_cpu" })
        {
            var records = await h.CallAsync<IReadOnlyDictionary<string, object>>(cls + ".get_all_records");
            foreach (var record in records.Values.Cast<IReadOnlyDictionary<string, object>>())
            {
                record.Keys.ShouldBe(XapiSim.Model.Database.PoolDatabase.Model[cls].Fields.Select(f => f.Name), ignoreOrder: false, cls);
            }
        }
    }

    [Fact]
    public async Task Fault_knobs_fail_the_nth_call_and_expire_sessions()
    {
        await using var h = ModelHarness.Create();
        using (h.Simulator.Faults.FailMethod(new XapiSim.Faults.MethodFault("VM.get_all", "SR_FULL", ["1", "2"], OnCall: 2)))
        {
            await h.CallAsync("VM.get_all");
            (await h.FailAsync("VM.get_all")).Description.ShouldBe(["SR_FULL", "1", "2"]);
            await h.CallAsync("VM.get_all");
        }

        h.Simulator.Faults.ExpireAllSessions();
        (await h.FailAsync("VM.get_all")).Code.ShouldBe("SESSION_INVALID");
    }
}
