using System.Text.Json;
using VmBackup.TestKit;

namespace XapiSim.Tests.ThirdParty;

/// <summary>
/// Clients that nobody on this project wrote talk to XapiSim: Xen Orchestra's npm <c>xen-api</c> (JSON-RPC first, as XO
/// does) and Python's standard <c>xmlrpc.client</c> (XML-RPC, as XenAPI.py does), over HTTP and HTTPS.
/// </summary>
public sealed class ThirdPartyClientTests
{
    private static readonly string[] SampleVmNames = ["DEV-build", "DEV-test", "PROD-db", "PROD-web"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task XenOrchestraClient_ConnectsListsSnapshotsAndIsRefusedWithWrongPassword(bool https)
    {
        await using var sim = await SimulatorFixture.StartAsync(https: https);
        var url = https ? sim.Simulator.HttpsUri! : sim.HttpUri;
        var (user, password) = sim.Credentials;
        var vmsBefore = sim.Simulator.Database.Count("VM");

        var report = await ThirdPartyClient.RunNodeAsync(url.ToString(), user, password, "PROD-web");

        report.TryGetProperty("error", out var error).ShouldBeFalse(error.ToString());
        report.GetProperty("connected").GetBoolean().ShouldBeTrue();
        report.GetProperty("poolName").GetString().ShouldBe("pool-demo");
        Names(report.GetProperty("vmNames")).ShouldBe(SampleVmNames);
        report.GetProperty("memoryType").GetString().ShouldBe("number");

        var snapshot = report.GetProperty("snapshot");
        snapshot.GetProperty("ref").GetString().ShouldStartWith("OpaqueRef:");
        snapshot.GetProperty("name").GetString().ShouldBe("PROD-web xo-snapshot");
        snapshot.GetProperty("is_a_snapshot").GetBoolean().ShouldBeTrue();
        snapshot.GetProperty("is_a_template").GetBoolean().ShouldBeTrue();
        snapshot.GetProperty("snapshot_of_matches").GetBoolean().ShouldBeTrue();
        report.GetProperty("otherConfig").GetProperty("xo:backup").GetString().ShouldBe("yes");
        report.GetProperty("destroyed").GetBoolean().ShouldBeTrue();
        sim.Simulator.Database.Count("VM").ShouldBe(vmsBefore);

        var wrong = report.GetProperty("wrongPassword");
        wrong.GetProperty("code").GetString().ShouldBe("SESSION_AUTHENTICATION_FAILED");
        wrong.GetProperty("params")[0].GetString().ShouldBe(user);
    }

    [Fact]
    public async Task XenOrchestraClient_OnAPoolMember_FollowsHostIsSlaveToTheMaster()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var member = sim.Simulator.HostUris.Single(h => h.Value != sim.HttpUri).Value;
        var (user, password) = sim.Credentials;

        var report = await ThirdPartyClient.RunNodeAsync(member.ToString(), user, password, "DEV-test");

        report.TryGetProperty("error", out var error).ShouldBeFalse(error.ToString());
        report.GetProperty("connected").GetBoolean().ShouldBeTrue();
        report.GetProperty("snapshot").GetProperty("is_a_snapshot").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PythonXmlRpcClient_LogsInListsAndGetsXapiErrors(bool https)
    {
        await using var sim = await SimulatorFixture.StartAsync(https: https);
        var (user, password) = sim.Credentials;
        string[] args = https
            ? [sim.Simulator.HttpsUri!.ToString(), user, password, sim.Simulator.CertificateFingerprint!]
            : [sim.HttpUri.ToString(), user, password];

        var report = await ThirdPartyClient.RunPythonAsync(args);

        report.GetProperty("loginStatus").GetString().ShouldBe("Success");
        report.GetProperty("recordsStatus").GetString().ShouldBe("Success");
        Names(report.GetProperty("vmNames")).ShouldBe(SampleVmNames);
        report.GetProperty("memoryStaticMaxType").GetString().ShouldBe("str", "XAPI sends int64 as bare strings in XML-RPC");
        Names(report.GetProperty("unknownMethod")).ShouldBe(["MESSAGE_METHOD_UNKNOWN", "VM.no_such_method"]);
        var stale = Names(report.GetProperty("staleRef"));
        stale.ShouldBe(["HANDLE_INVALID", "VM", "OpaqueRef:00000000-0000-0000-0000-000000000bad"]);
        report.GetProperty("listMethodsIsList").GetBoolean().ShouldBeTrue();
        report.GetProperty("hasVmGetAllRecords").GetBoolean().ShouldBeTrue();
        report.GetProperty("logoutStatus").GetString().ShouldBe("Success");
        var wrong = Names(report.GetProperty("wrongPassword"));
        wrong[0].ShouldBe("SESSION_AUTHENTICATION_FAILED");
        wrong[1].ShouldBe(user);
    }

    private static string[] Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
