using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VmBackup.TestKit;

namespace XapiSim.Tests.Simulator;

public sealed class SimulatorHttpTests
{
    private static async Task<JsonElement> JsonRpcAsync(HttpClient client, Uri uri, string method, params object[] args)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = args, id = 1 });
        using var response = await client.PostAsync(new Uri(uri, "jsonrpc"), new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Json_rpc_and_xml_rpc_over_http_on_the_sample_pool()
    {
        await using var fixture = await SimulatorFixture.StartAsync();
        using var client = new HttpClient();
        var login = await JsonRpcAsync(client, fixture.HttpUri, "session.login_with_password", "root", "secret");
        var session = login.GetProperty("result").GetString()!;
        session.ShouldStartWith("OpaqueRef:");
        var vms = await JsonRpcAsync(client, fixture.HttpUri, "VM.get_by_name_label", session, "PROD-web");
        vms.GetProperty("result").GetArrayLength().ShouldBe(1);

        const string xml = "<?xml version=\"1.0\"?><methodCall><methodName>session.login_with_password</methodName><params><param><value>root</value></param><param><value>wrong</value></param></params></methodCall>";
        using var response = await client.PostAsync(new Uri(fixture.HttpUri, "RPC2"), new StringContent(xml, Encoding.UTF8, "text/xml"));
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("SESSION_AUTHENTICATION_FAILED");
        text.ShouldContain("Failure");
    }

    [Fact]
    public async Task Member_host_answers_HOST_IS_SLAVE_on_its_own_address()
    {
        await using var fixture = await SimulatorFixture.StartAsync();
        var member = fixture.Simulator.HostUris["xs2"];
        member.Host.ShouldBe("127.0.0.2");
        member.Port.ShouldBe(fixture.HttpUri.Port);
        using var client = new HttpClient();
        var reply = await JsonRpcAsync(client, member, "session.login_with_password", "root", "secret");
        var error = reply.GetProperty("error");
        error.GetProperty("message").GetString().ShouldBe("HOST_IS_SLAVE");
        error.GetProperty("data")[0].GetString().ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Https_serves_the_certificate_with_the_published_fingerprint()
    {
        await using var fixture = await SimulatorFixture.StartAsync(https: true);
        var expected = fixture.Simulator.CertificateFingerprint!;
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                seen = string.Join(':', SHA256.HashData(cert!.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
                return seen == expected;
            },
        };
        using var client = new HttpClient(handler);
        var login = await JsonRpcAsync(client, fixture.Simulator.HttpsUri!, "session.login_with_password", "root", "secret");
        login.GetProperty("result").GetString()!.ShouldStartWith("OpaqueRef:");
        seen.ShouldBe(expected);
    }

    [Fact]
    public async Task Xapisim_process_prints_one_line_and_exits_zero_on_sigterm()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "xapisim.dll");
        var pool = Path.Combine(AppContext.BaseDirectory, "sample-pool.json");
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "--pool", pool, "--listen", "127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        line.ShouldNotBeNull().ShouldMatch(@"^xapisim: listening on http://127\.0\.0\.1:[0-9]+$");
        using (var client = new HttpClient())
        {
            var uri = new Uri(line["xapisim: listening on ".Length..] + "/");
            (await JsonRpcAsync(client, uri, "session.login_with_password", "root", "secret")).GetProperty("result").GetString()!.ShouldStartWith("OpaqueRef:");
        }

        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Xapisim_process_rejects_a_bad_pool_file_with_one_line()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "xapisim.dll");
        var dir = Directory.CreateTempSubdirectory("xapisim-bad-");
        try
        {
            var pool = Path.Combine(dir.FullName, "pool.json");
            await File.WriteAllTextAsync(pool, """{"vms":[{"name_label":"a"},{"name_label":"b"},{"name_label":"c","disks":[{"sr":"Fast"}]}]}""");
            using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "--pool", pool, "--listen", "127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            process.ExitCode.ShouldBe(1);
            stderr.ShouldBe("xapisim: pool.json: vms[2].disks[0].sr: no SR named \"Fast\"\n");

            using var usage = Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "--nonsense"]) { RedirectStandardError = true })!;
            var usageError = await usage.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await usage.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            usage.ExitCode.ShouldBe(2);
            usageError.Trim().Split('\n').Length.ShouldBe(1);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
