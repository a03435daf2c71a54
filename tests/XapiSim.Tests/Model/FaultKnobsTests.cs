using XapiSim.Faults;

namespace XapiSim.Tests.Model;

public sealed class FaultKnobsTests
{
    [Fact]
    public void Times_limits_failures_and_on_call_skips_earlier_calls()
    {
        var knobs = new FaultKnobs();
        using (knobs.FailMethod(new MethodFault("VM.start", "X", [], Times: 2)))
        {
            knobs.NextFailure("VM.start").ShouldNotBeNull();
            knobs.NextFailure("VM.start").ShouldNotBeNull();
            knobs.NextFailure("VM.start").ShouldBeNull();
            knobs.NextFailure("VM.stop").ShouldBeNull();
        }

        using (knobs.FailMethod(new MethodFault("VM.start", "Y", ["p"], OnCall: 3)))
        {
            knobs.NextFailure("VM.start").ShouldBeNull();
            knobs.NextFailure("VM.start").ShouldBeNull();
            knobs.NextFailure("VM.start")!.Description.ShouldBe(["Y", "p"]);
            knobs.NextFailure("VM.start").ShouldBeNull();
        }

        var forever = knobs.FailMethod("VM.start", "Z");
        knobs.NextFailure("VM.start").ShouldNotBeNull();
        knobs.NextFailure("VM.start").ShouldNotBeNull();
        forever.Dispose();
        knobs.NextFailure("VM.start").ShouldBeNull();
    }

    [Fact]
    public async Task Call_delay_slows_every_call()
    {
        await using var h = ModelHarness.Create();
        await h.CallAsync("VM.get_all");
        h.Simulator.Faults.CallDelay = TimeSpan.FromMilliseconds(150);
        var started = DateTime.UtcNow;
        await h.CallAsync("VM.get_all");
        (DateTime.UtcNow - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
    }

    [Fact]
    public async Task Async_call_of_a_faulted_method_fails_its_task()
    {
        await using var h = ModelHarness.Create();
        using var fault = h.Simulator.Faults.FailMethod("VM.snapshot", "SR_FULL", "10", "5");
        var task = await h.CallAsync<string>("Async.VM.snapshot", h.Vm("PROD-web"), "s");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Db.GetString("task", task, "status") == "pending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        h.Db.GetStrings("task", task, "error_info").ShouldBe(["SR_FULL", "10", "5"]);
    }
}
