namespace XapiSim.Tests.Model;

public sealed class SmokeTests
{
    [Fact]
    public async Task Login_then_get_all_records_of_VMs_returns_full_records()
    {
        await using var h = ModelHarness.Create();
        var records = await h.CallAsync<IReadOnlyDictionary<string, object>>("VM.get_all_records");
        var web = (IReadOnlyDictionary<string, object>)records[h.Vm("PROD-web")];
        web["power_state"].ShouldBe("Running");
        web["VCPUs_max"].ShouldBe(2L);
        ((IReadOnlyList<object>)web["VBDs"]).Count.ShouldBe(3);
    }
}
