using XapiSim;
using XapiSim.PoolFile;

namespace VmBackup.TestKit;

/// <summary>
/// Starts an in-process XapiSim on free loopback ports and stops it on dispose. Use it per test:
/// <c>await using var sim = await SimulatorFixture.StartAsync(json);</c> (null JSON = the sample pool). Login: user <c>root</c>, password <c>secret</c> unless the pool
/// file says otherwise.
/// </summary>
public sealed class SimulatorFixture : IAsyncDisposable
{
    private XapiSimulator? _simulator;

    /// <summary>The running simulator (pool state, fault knobs, URIs).</summary>
    public XapiSimulator Simulator => _simulator ?? throw new InvalidOperationException("The simulator is not started.");

    /// <summary>The master's HTTP URI, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri HttpUri => Simulator.HttpUri;

    /// <summary>The user name and password of the pool's first user.</summary>
    public (string User, string Password) Credentials => Simulator.Pool.Users.First() is var u ? (u.Key, u.Value) : default;

    /// <summary>Starts a simulator from pool-file JSON text (null: the sample pool <c>samples/sample-pool.json</c>).</summary>
    /// <param name="poolJson">Pool-file JSON, or null for the sample pool.</param>
    /// <param name="https">Also listen on HTTPS (self-signed; see <see cref="XapiSimulator.CertificateFingerprint"/>).</param>
    /// <param name="timeProvider">A clock to control time; default the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SimulatorFixture> StartAsync(string? poolJson = null, bool https = false, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var fixture = new SimulatorFixture();
        await fixture.StartCoreAsync(poolJson, https, timeProvider, cancellationToken).ConfigureAwait(false);
        return fixture;
    }

    /// <summary>The sample pool's JSON text (<c>samples/sample-pool.json</c>, copied next to the test assembly).</summary>
    public static string SamplePoolJson() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-pool.json"));

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync().ConfigureAwait(false);
            _simulator = null;
        }
    }

    private async Task StartCoreAsync(string? poolJson, bool https, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        var pool = PoolFileParser.Parse(poolJson ?? SamplePoolJson());
        _simulator = await XapiSimulator.StartAsync(
            new SimulatorOptions
            {
                Pool = pool,
                HttpsListen = https ? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) : null,
                TimeProvider = timeProvider ?? TimeProvider.System,
                AuthenticationFailureDelay = TimeSpan.FromMilliseconds(50),
            },
            cancellationToken).ConfigureAwait(false);
    }
}
