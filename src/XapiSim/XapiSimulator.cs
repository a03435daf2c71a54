using System.Net;
using System.Security.Cryptography.X509Certificates;
using XapiSim.DataPlane;
using XapiSim.Faults;
using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.PoolFile;
using XapiSim.Rpc;
using XapiSim.Storage;

namespace XapiSim;

/// <summary>
/// A running simulated XAPI pool (RPC endpoints and the HTTP data plane): one HTTP (and optionally HTTPS) listener
/// per host, all on the same port, the
/// master on <see cref="SimulatorOptions.Listen"/> and the other hosts on 127.0.0.2, 127.0.0.3, ... (or their
/// pool-file address). Dispose to stop it and delete its temporary state.
/// </summary>
public sealed class XapiSimulator : IAsyncDisposable
{
    private readonly List<HttpServer> _servers = [];
    private readonly IDiskStore _disks;
    private readonly string? _ownedStateDirectory;
    private readonly X509Certificate2? _certificate;

    private XapiSimulator(SimulatedPool pool, IDiskStore disks, string? ownedStateDirectory, X509Certificate2? certificate)
    {
        Pool = pool;
        _disks = disks;
        _ownedStateDirectory = ownedStateDirectory;
        _certificate = certificate;
        Router = new HttpRouter();
    }

    /// <summary>The master's HTTP URI, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>The master's HTTPS URI, or null when HTTPS is off.</summary>
    public Uri? HttpsUri { get; private set; }

    /// <summary>SHA-256 fingerprint of the TLS certificate (colon-separated upper-case hex), or null when HTTPS is off.</summary>
    public string? CertificateFingerprint { get; private set; }

    /// <summary>Every host's HTTP URI by host name label, master included.</summary>
    public IReadOnlyDictionary<string, Uri> HostUris { get; private set; } = new Dictionary<string, Uri>();

    /// <summary>Every host's HTTPS URI by host name label (empty when HTTPS is off).</summary>
    public IReadOnlyDictionary<string, Uri> HostHttpsUris { get; private set; } = new Dictionary<string, Uri>();

    /// <summary>Fault knobs, switchable at any time.</summary>
    public FaultKnobs Faults => Pool.Faults;

    /// <summary>The pool state, for in-process inspection and changes by tests and by HTTP handlers.</summary>
    public SimulatedPool Pool { get; }

    /// <summary>The database (shortcut for <c>Pool.Database</c>).</summary>
    public PoolDatabase Database => Pool.Database;

    /// <summary>The RPC dispatcher (for in-process calls without HTTP).</summary>
    public IRpcDispatcher Dispatcher { get; private set; } = null!;

    /// <summary>The HTTP router every listener serves; data-plane handlers are added here.</summary>
    public HttpRouter Router { get; }

    /// <summary>Builds the pool and starts listening. Returns once every listener accepts connections.</summary>
    /// <exception cref="PoolFileException">The pool file is invalid.</exception>
    public static async Task<XapiSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definition = options.Pool ?? (options.PoolFilePath is null ? new PoolDefinition() : PoolFileParser.Load(options.PoolFilePath));
        var simulator = Create(definition, options, out var hostAddresses);
        try
        {
            await simulator.ListenAsync(options, hostAddresses, cancellationToken).ConfigureAwait(false);
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Builds the pool in memory only (no listeners): for tests that call <see cref="Dispatcher"/> directly.</summary>
    public static XapiSimulator CreateInProcess(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definition = options.Pool ?? (options.PoolFilePath is null ? new PoolDefinition() : PoolFileParser.Load(options.PoolFilePath));
        var simulator = Create(definition, options, out _);
        simulator.HttpUri = new Uri("http://" + options.Listen + "/");
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _servers.Clear();
        _certificate?.Dispose();
        Model.Dr.DrState.For(Pool).StopAll();
        _disks.Dispose();
        if (_ownedStateDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedStateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        }
    }

    private static XapiSimulator Create(PoolDefinition definition, SimulatorOptions options, out List<(string HostRef, IPAddress Address)> hostAddresses)
    {
        string? owned = null;
        var stateDirectory = options.StateDirectory;
        if (stateDirectory is null)
        {
            owned = stateDirectory = Path.Combine(Path.GetTempPath(), "xapisim-" + Guid.NewGuid().ToString("N"));
        }

        Directory.CreateDirectory(stateDirectory);
        var disks = new SparseDiskStore(Path.Combine(stateDirectory, "disks"));
        var faults = new FaultKnobs
        {
            CallDelay = definition.Faults.CallDelay,
            SessionLifetime = definition.Faults.SessionLifetime,
        };
        foreach (var fault in definition.Faults.Methods)
        {
            faults.FailMethod(fault);
        }

        var pool = new SimulatedPool(new PoolDatabase(), disks, options.TimeProvider, faults, definition.Users)
        {
            AuthenticationFailureDelay = options.AuthenticationFailureDelay ?? definition.Faults.AuthFailureDelay,
        };
        var builder = new PoolBuilder(pool, definition);
        builder.Build(options.Listen.Address);
        hostAddresses = builder.HostAddresses;
        var certificate = options.HttpsListen is null
            ? null
            : SelfSignedCertificate.Create(pool.Database.GetString("host", pool.MasterRef, "hostname"));
        var simulator = new XapiSimulator(pool, disks, owned, certificate);
        simulator.Dispatcher = new XapiDispatcher(pool);
        RpcEndpoints.Map(simulator.Router, simulator.Dispatcher);
        DataPlaneEndpoints.Map(simulator.Router, pool);
        return simulator;
    }

    private async Task ListenAsync(SimulatorOptions options, List<(string HostRef, IPAddress Address)> hostAddresses, CancellationToken cancellationToken)
    {
        var hostUris = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var httpsUris = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var port = options.Listen.Port;
        var httpsPort = options.HttpsListen?.Port ?? 0;
        // The master binds first, so that a free port is chosen on its address; members reuse that port.
        foreach (var (hostRef, address) in hostAddresses.OrderBy(h => h.HostRef != Pool.MasterRef))
        {
            var name = Pool.Database.GetString("host", hostRef, "name_label");
            var bind = hostRef == Pool.MasterRef ? options.Listen.Address : address;
            var http = await HttpServer.StartAsync(new IPEndPoint(bind, port), null, Router, cancellationToken).ConfigureAwait(false);
            _servers.Add(http);
            port = http.LocalEndPoint.Port;
            hostUris[name] = new Uri($"http://{Format(http.LocalEndPoint)}/");
            if (hostRef == Pool.MasterRef)
            {
                HttpUri = hostUris[name];
            }

            if (_certificate is not null)
            {
                var httpsAddress = hostRef == Pool.MasterRef ? options.HttpsListen!.Address : address;
                var https = await HttpServer.StartAsync(new IPEndPoint(httpsAddress, httpsPort), _certificate, Router, cancellationToken).ConfigureAwait(false);
                _servers.Add(https);
                httpsPort = https.LocalEndPoint.Port;
                httpsUris[name] = new Uri($"https://{Format(https.LocalEndPoint)}/");
                if (hostRef == Pool.MasterRef)
                {
                    HttpsUri = httpsUris[name];
                    CertificateFingerprint = SelfSignedCertificate.Sha256Fingerprint(_certificate);
                }
            }
        }

        HostUris = hostUris;
        HostHttpsUris = httpsUris;
    }

    private static string Format(IPEndPoint endpoint)
        => endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : endpoint.ToString();
}
