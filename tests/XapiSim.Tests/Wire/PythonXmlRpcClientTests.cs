using System.Diagnostics;

namespace XapiSim.Tests.Wire;

/// <summary>Python's real <c>xmlrpc.client</c> (as used by XenAPI.py) against the server.</summary>
public sealed class PythonXmlRpcClientTests
{
    private const string Script = """
        import sys, xmlrpc.client
        proxy = xmlrpc.client.ServerProxy(sys.argv[1])
        r = proxy.test.all_types()
        assert r["Status"] == "Success", r
        v = r["Value"]
        print(repr(v["string"]))
        print(repr(v["int64"]), repr(v["int32"]), repr(v["bool_true"]), repr(v["double"]), repr(v["void"]))
        print(str(v["datetime"]), v["set"], v["map"])
        e = proxy.test.echo("s", 5, 2.5, True, [1, "a"], {"k": "v"})
        print(e["Value"])
        f = proxy.test.fail("OpaqueRef:s")
        print(f["Status"], f["ErrorDescription"])
        print(proxy.system.listMethods())
        """;

    [Fact]
    public async Task PythonXmlRpcClient_ReadsEveryEnvelope()
    {
        await using var server = await WireServer.StartAsync();
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add($"http://127.0.0.1:{server.Port}");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        process.ExitCode.ShouldBe(0, errors);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            "'a<b>&\"c\\'d\\te'",
            "'9007199254740993' 42 True 0.1 ''",
            "20240229T13:05:09Z ['x', '1'] {'k&': 'v'}",
            "['s', '5', 2.5, True, ['1', 'a'], {'k': 'v'}]",
            "Failure ['HANDLE_INVALID', 'VM', 'OpaqueRef:bad']",
            "['VM.get_all_records', 'session.login_with_password']",
        ]);
        server.Dispatcher.Calls.First(c => c.Method == "test.echo").Args.ShouldBe(["s", 5L, 2.5, true, new List<object> { 1L, "a" }, new Dictionary<string, object> { ["k"] = "v" }]);
    }
}
