using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using VmBackup.TestKit;
using XapiSim.DataPlane;
using XapiSim.Model;

namespace XapiSim.Tests.DataPlane;

/// <summary>A running sample pool with the data plane mapped, a session, an HTTP client and a scratch folder.</summary>
internal sealed class DataPlaneHarness : IAsyncDisposable
{
    private DataPlaneHarness(SimulatorFixture fixture)
    {
        Fixture = fixture;
        Pool = fixture.Simulator.Pool;
        DataPlaneEndpoints.Map(fixture.Simulator.Router, Pool);
        Session = Pool.CreateSession("root", Pool.MasterRef);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.HttpUri, Timeout = TimeSpan.FromMinutes(2) };
        Scratch = Directory.CreateTempSubdirectory("dataplane-").FullName;
    }

    public SimulatorFixture Fixture { get; }

    public SimulatedPool Pool { get; }

    public string Session { get; }

    public HttpClient Http { get; }

    public string Scratch { get; }

    public TransferFaults Faults => TransferFaults.For(Pool);

    public int Port => Fixture.HttpUri.Port;

    public static async Task<DataPlaneHarness> StartAsync(string? poolJson = null, TimeProvider? timeProvider = null)
        => new(await SimulatorFixture.StartAsync(poolJson, timeProvider: timeProvider));

    public string Vm(string name) => Pool.Database.FindByNameLabel("VM", name)[0];

    public string FirstDiskVdi(string vm)
        => Pool.Database.GetStrings("VM", vm, "VBDs")
            .Where(vbd => Pool.Database.GetString("VBD", vbd, "type") == "Disk")
            .Select(vbd => Pool.Database.GetString("VBD", vbd, "VDI"))
            .First();

    public string Uuid(string className, string reference) => Pool.Database.GetString(className, reference, "uuid");

    public string Url(string path, string query) => $"{path}?session_id={Uri.EscapeDataString(Session)}&{query}";

    public async Task<string> DownloadAsync(string path, string query, string fileName)
    {
        using var response = await Http.GetAsync(Url(path, query), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}?{query}");
        var file = Path.Combine(Scratch, fileName);
        await using (var output = File.Create(file))
        {
            await response.Content.CopyToAsync(output);
        }

        return file;
    }

    public async Task<(HttpStatusCode Status, string TaskRef)> UploadAsync(string path, string query, string file)
    {
        await using var input = File.OpenRead(file);
        using var content = new StreamContent(input);
        content.Headers.ContentLength = input.Length;
        HttpResponseMessage response;
        try
        {
            response = await Http.PutAsync(Url(path, query), content);
        }
        catch (HttpRequestException)
        {
            // The server failed the import and closed the connection while the body was still going out.
            var failed = Pool.Database.GetAll("task").Last();
            return (HttpStatusCode.OK, failed);
        }

        using var owned = response;
        var task = response.Headers.TryGetValues("task-id", out var values) ? values.First() : string.Empty;
        return (response.StatusCode, task);
    }

    /// <summary>Calls an XAPI method with this harness's session.</summary>
    public async Task<object> CallAsync(string method, params object[] args)
        => await Fixture.Simulator.Dispatcher.CallAsync(
            method,
            [Session, .. args],
            new XapiSim.Rpc.RpcCallContext(XapiSim.Rpc.RpcProtocol.XmlRpc, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 443)),
            CancellationToken.None);

    public string TaskStatus(string task) => Pool.Database.GetString("task", task, "status");

    public IReadOnlyList<string> TaskError(string task) => Pool.Database.GetStrings("task", task, "error_info");

    public string TaskResult(string task) => Pool.Database.GetString("task", task, "result");

    public async Task<string> WaitTaskAsync(string task)
    {
        for (var i = 0; i < 600 && TaskStatus(task) is "pending" or "cancelling"; i++)
        {
            await Task.Delay(50);
        }

        return TaskStatus(task);
    }

    public async Task<string> RawSha256Async(string vdi)
    {
        using var response = await Http.GetAsync(Url("/export_raw_vdi", "format=raw&vdi=" + vdi), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();
        return Convert.ToHexString(await SHA256.HashDataAsync(body));
    }

    public static async Task<string> RunAsync(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed (run scripts/install-test-deps.sh): {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{output}");
            }

            return output;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Fixture.DisposeAsync();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
