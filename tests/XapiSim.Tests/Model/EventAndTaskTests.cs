namespace XapiSim.Tests.Model;

public sealed class EventAndTaskTests
{
    private static IReadOnlyList<IReadOnlyDictionary<string, object>> Events(object batch)
        => [.. ((IReadOnlyList<object>)((IReadOnlyDictionary<string, object>)batch)["events"]).Cast<IReadOnlyDictionary<string, object>>()];

    private static string Token(object batch) => (string)((IReadOnlyDictionary<string, object>)batch)["token"];

    [Fact]
    public async Task Empty_token_returns_every_object_as_add_then_tokens_progress()
    {
        await using var h = ModelHarness.Create();
        var first = await h.CallAsync("event.from", new List<object> { "vm" }, "", 0.1);
        var events = Events(first);
        events.Count.ShouldBe(h.Db.Count("VM"));
        events.ShouldAllBe(e => (string)e["operation"] == "add" && (string)e["class"] == "vm");
        Token(first).ShouldMatch("^[0-9]{20},[0-9]{20}$");
        var counts = (IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)first)["valid_ref_counts"];
        counts["vm"].ShouldBe(h.Db.Count("VM"));
        counts["vm"].ShouldBeOfType<int>();

        var vm = h.Vm("DEV-halted");
        await h.CallAsync("VM.set_name_label", vm, "renamed");
        var second = await h.CallAsync("event.from", new List<object> { "vm" }, Token(first), 1.0);
        var change = Events(second).Single();
        change["operation"].ShouldBe("mod");
        change["ref"].ShouldBe(vm);
        ((IReadOnlyDictionary<string, object>)change["snapshot"])["name_label"].ShouldBe("renamed");
        string.CompareOrdinal(Token(second), Token(first)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Event_from_blocks_until_a_change_or_the_timeout()
    {
        await using var h = ModelHarness.Create();
        var token = Token(await h.CallAsync("event.from", new List<object> { "*" }, "", 0.1));
        var empty = await h.CallAsync("event.from", new List<object> { "vm" }, token, 0.2);
        Events(empty).ShouldBeEmpty();

        var pending = h.CallAsync("event.from", new List<object> { "vm" }, token, 30.0);
        await Task.Delay(100);
        pending.IsCompleted.ShouldBeFalse();
        await h.CallAsync("VM.destroy", h.Vm("DEV-halted"));
        var batch = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Events(batch).ShouldContain(e => (string)e["operation"] == "del" && !e.ContainsKey("snapshot"));
    }

    [Fact]
    public async Task Inject_and_single_object_subscription_and_bad_token()
    {
        await using var h = ModelHarness.Create();
        var pool = h.Db.GetAll("pool")[0];
        var token = Token(await h.CallAsync("event.from", new List<object> { "*" }, "", 0.1));
        (await h.CallAsync<string>("event.inject", "pool", pool)).ShouldMatch("^[0-9]{20},[0-9]{20}$");
        var batch = await h.CallAsync("event.from", new List<object> { "pool/" + pool }, token, 1.0);
        Events(batch).Single()["ref"].ShouldBe(pool);
        (await h.FailAsync("event.from", new List<object> { "*" }, "garbage", 0.1)).Description.ShouldBe(["EVENT_FROM_TOKEN_PARSE_FAILURE", "garbage"]);
    }

    [Fact]
    public async Task Async_call_returns_a_task_that_completes_with_xml_rpc_result()
    {
        await using var h = ModelHarness.Create();
        var task = await h.CallAsync<string>("Async.VM.snapshot", h.Vm("PROD-web"), "async-snap");
        h.Db.ClassOf(task).ShouldBe("task");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Db.GetString("task", task, "status") == "pending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        h.Db.GetString("task", task, "status").ShouldBe("success");
        h.Db.Get("task", task, "progress").ShouldBe(1.0);
        var snapshot = h.Vm("async-snap");
        h.Db.GetString("task", task, "result").ShouldBe($"<value>{snapshot}</value>");
    }

    [Fact]
    public async Task Failed_async_call_sets_error_info_and_task_methods_work()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("PROD-web");
        var task = await h.CallAsync<string>("Async.VM.destroy", vm);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Db.GetString("task", task, "status") == "pending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        h.Db.GetString("task", task, "status").ShouldBe("failure");
        h.Db.GetStrings("task", task, "error_info").ShouldBe(["VM_BAD_POWER_STATE", vm, "halted;suspended", "running"]);

        var own = await h.CallAsync<string>("task.create", "upload", "desc");
        await h.CallAsync("task.set_progress", own, "0.5");
        (await h.CallAsync<double>("task.get_progress", own)).ShouldBe(0.5);
        await h.CallAsync("task.cancel", own);
        (await h.CallAsync<string>("task.get_status", own)).ShouldBe("cancelled");
        await h.CallAsync("task.destroy", own);
        (await h.FailAsync("task.get_status", own)).Description.ShouldBe(["HANDLE_INVALID", "task", own]);
    }
}
