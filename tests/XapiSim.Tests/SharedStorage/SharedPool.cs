using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using XapiSim.PoolFile;
using XapiSim.Rpc;

namespace XapiSim.Tests.SharedStorage;

/// <summary>One running simulated pool of a shared-SR test, with a session and an HTTP client for the data plane.</summary>
internal sealed class SharedPool : IAsyncDisposable
{
    private SharedPool(XapiSimulator simulator)
    {
        Simulator = simulator;
        Session = simulator.Pool.CreateSession("root", simulator.Pool.MasterRef);
        Http = new HttpClient { BaseAddress = simulator.HttpUri, Timeout = TimeSpan.FromMinutes(1) };
    }

    public XapiSimulator Simulator { get; }

    public string Session { get; }

    public HttpClient Http { get; }

    /// <summary>A pool file with one shared SR (uuid <paramref name="srUuid"/>, folder <paramref name="folder"/>) and the given VMs.</summary>
    public static string PoolJson(string srUuid, string folder, string vms, string extraSrs = "")
        => $$"""
        {
          "default_templates": false,
          "srs": [
            { "name_label": "Replicated", "uuid": "{{srUuid}}", "type": "lvmoiscsi", "shared": true, "default": true,
              "shared_storage": {{System.Text.Json.JsonSerializer.Serialize(folder)}} }{{extraSrs}}
          ],
          "vms": [ {{vms}} ]
        }
        """;

    public static async Task<SharedPool> StartAsync(string json)
        => new(await XapiSimulator.StartAsync(new SimulatorOptions { Pool = PoolFileParser.Parse(json) }, CancellationToken.None));

    public string? VdiByUuid(string uuid) => Simulator.Database.FindByUuid("VDI", uuid);

    public string Uuid(string className, string reference) => Simulator.Database.GetString(className, reference, "uuid");

    public string FirstDiskVdi(string vmName)
    {
        var db = Simulator.Database;
        var vm = db.FindByNameLabel("VM", vmName).Single();
        return db.GetStrings("VM", vm, "VBDs")
            .Where(vbd => db.GetString("VBD", vbd, "type") == "Disk")
            .Select(vbd => db.GetString("VBD", vbd, "VDI"))
            .First();
    }

    public async Task<object> CallAsync(string method, params object[] args)
        => await Simulator.Dispatcher.CallAsync(
            method,
            [Session, .. args],
            new RpcCallContext(RpcProtocol.XmlRpc, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 443)),
            CancellationToken.None);

    public async Task<string> RawSha256Async(string vdiRef)
    {
        using var response = await Http.GetAsync($"/export_raw_vdi?session_id={Uri.EscapeDataString(Session)}&format=raw&vdi={vdiRef}", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();
        return Convert.ToHexString(await SHA256.HashDataAsync(body));
    }

    public async Task ImportRawAsync(string vdiRef, byte[] data)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Http.PutAsync($"/import_raw_vdi?session_id={Uri.EscapeDataString(Session)}&format=raw&vdi={vdiRef}", content);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
