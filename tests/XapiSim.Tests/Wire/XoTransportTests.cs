using System.Diagnostics;
using System.Text.Json;

namespace XapiSim.Tests.Wire;

/// <summary>
/// Xen Orchestra's own JSON-RPC and XML-RPC transports (npm <c>xen-api</c>, installed in <c>tests/third-party</c> by
/// <c>scripts/install-test-deps.sh</c>) against the server: content types, envelopes and error shapes as XO parses them.
/// </summary>
public sealed class XoTransportTests
{
    private const string Script = """
        import { pathToFileURL } from 'node:url'
        const [modules, port] = process.argv.slice(1)
        const load = async file => (await import(pathToFileURL(`${modules}/xen-api/transports/${file}`).href)).default
        const url = { protocol: 'http:', hostname: '127.0.0.1', port }
        const transports = { json: (await load('json-rpc.mjs'))({ url }), xml: (await load('xml-rpc.mjs'))({ url }) }
        const out = {}
        for (const [name, call] of Object.entries(transports)) {
          out[name] = { all: await call('test.all_types', []), echo: await call('test.echo', ['s', 5, 2.5, true, { k: 'v' }]) }
          try { await call('test.fail', ['OpaqueRef:s']) } catch (e) { out[name].fail = { code: e.code, params: e.params } }
        }
        out.listMethods = await transports.xml('system.listMethods', [])
        console.log(JSON.stringify(out))
        """;

    [Fact]
    public async Task XoTransports_ParseEveryEnvelope()
    {
        await using var server = await WireServer.StartAsync();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--input-type=module");
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(Path.Combine(VmBackup.TestKit.ThirdPartyFolder.Path, "node_modules"));
        start.ArgumentList.Add(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        process.ExitCode.ShouldBe(0, errors);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        foreach (var transport in new[] { "json", "xml" })
        {
            var all = root.GetProperty(transport).GetProperty("all");
            all.GetProperty("string").GetString().ShouldBe("a<b>&\"c'" + (transport == "json" ? "\u0001" : string.Empty) + "d\te");
            all.GetProperty("int32").GetInt32().ShouldBe(42);
            all.GetProperty("datetime").GetString().ShouldBe(transport == "json" ? "20240229T13:05:09Z" : "2024-02-29T13:05:09.000Z");
            all.GetProperty("map").GetProperty("k&").GetString().ShouldBe("v");
            all.GetProperty("void").GetString().ShouldBe(string.Empty);
            var fail = root.GetProperty(transport).GetProperty("fail");
            fail.GetProperty("code").GetString().ShouldBe("HANDLE_INVALID");
            fail.GetProperty("params").EnumerateArray().Select(p => p.GetString()).ShouldBe(["VM", "OpaqueRef:bad"]);
        }

        root.GetProperty("json").GetProperty("all").GetProperty("int64").ValueKind.ShouldBe(JsonValueKind.Number);
        root.GetProperty("xml").GetProperty("all").GetProperty("int64").GetString().ShouldBe("9007199254740993");
        root.GetProperty("listMethods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["VM.get_all_records", "session.login_with_password"]);
        var xmlEcho = server.Dispatcher.Calls.Last(c => c.Method == "test.echo" && c.Context.Protocol == XapiSim.Rpc.RpcProtocol.XmlRpc).Args;
        xmlEcho.Take(4).ShouldBe(["s", "5", 2.5, true]);
        var jsonEcho = server.Dispatcher.Calls.First(c => c.Method == "test.echo").Args;
        jsonEcho.Take(4).ShouldBe(["s", 5L, 2.5, true]);
    }
}
