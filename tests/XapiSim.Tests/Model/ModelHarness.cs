using System.Net;
using XapiSim.Model.Database;
using XapiSim.PoolFile;
using XapiSim.Rpc;

namespace XapiSim.Tests.Model;

/// <summary>An in-process pool (no HTTP) with helpers to call the dispatcher as a client would.</summary>
internal sealed class ModelHarness : IAsyncDisposable
{
    public const string DefaultPool = """
        {"pool": {"name_label": "pool-a"},
         "hosts": [{"name_label": "xs1", "hostname": "xs1.example.org", "master": true}, {"name_label": "xs2"}],
         "users": {"root": "secret"},
         "srs": [{"name_label": "Local storage", "type": "ext", "size": "500GiB", "default": true},
                 {"name_label": "Other", "type": "ext", "size": "100GiB"},
                 {"name_label": "ISO", "type": "iso", "isos": ["a.iso"]}],
         "networks": [{"name_label": "net0", "bridge": "xenbr0"}],
         "vms": [
           {"name_label": "PROD-web", "power_state": "Running", "memory": "2GiB", "vcpus": 2, "tags": ["prod"], "cd": true,
            "disks": [{"device": "xvda", "size": "8GiB", "fill": 0.25, "seed": 1}, {"device": "xvdb", "size": "1GiB", "seed": 2, "fill": 0.1}],
            "vifs": [{"device": "0", "network": "net0"}]},
           {"name_label": "DEV-halted", "disks": [{"device": "xvda", "size": "64MiB", "fill": 0.5, "seed": 3}], "vifs": [{"device": "0"}]},
           {"name_label": "Debian 12 Template", "is_a_template": true},
           {"name_label": "PROD-web before upgrade", "snapshot_of": "PROD-web"}]}
        """;

    private ModelHarness(XapiSimulator simulator, TimeProvider time)
    {
        Simulator = simulator;
        Time = time;
    }

    public XapiSimulator Simulator { get; }

    public TimeProvider Time { get; }

    public PoolDatabase Db => Simulator.Database;

    public static ModelHarness Create(string? json = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var simulator = XapiSimulator.CreateInProcess(new SimulatorOptions
        {
            Pool = PoolFileParser.Parse(json ?? DefaultPool),
            TimeProvider = time,
            AuthenticationFailureDelay = TimeSpan.FromMilliseconds(20),
        });
        return new ModelHarness(simulator, time);
    }

    public static RpcCallContext Context(string address = "127.0.0.1")
        => new(RpcProtocol.XmlRpc, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Parse(address), 443));

    public async Task<object> RawAsync(string method, params object[] args)
        => await Simulator.Dispatcher.CallAsync(method, args, Context(), CancellationToken.None);

    public async Task<string> LoginAsync()
        => (string)await RawAsync("session.login_with_password", "root", "secret", "1.1", "test");

    /// <summary>Logs in (once) and calls <paramref name="method"/> with the session first.</summary>
    public async Task<object> CallAsync(string method, params object[] args)
    {
        _session ??= await LoginAsync();
        return await RawAsync(method, [_session, .. args]);
    }

    public async Task<T> CallAsync<T>(string method, params object[] args) => (T)await CallAsync(method, args);

    public async Task<XenApiFailure> FailAsync(string method, params object[] args)
        => await Should.ThrowAsync<XenApiFailure>(() => CallAsync(method, args));

    public string Vm(string name) => Db.FindByNameLabel("VM", name).Single();

    public IReadOnlyDictionary<string, object> Record(string cls, string reference) => Db.GetRecord(cls, reference);

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();

    private string? _session;
}
