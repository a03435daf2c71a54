using System.Net;
using XapiSim.PoolFile;

namespace XapiSim;

/// <summary>How to start a <see cref="XapiSimulator"/>. Give either <see cref="PoolFilePath"/> or <see cref="Pool"/>.</summary>
public sealed record SimulatorOptions
{
    /// <summary>A pool file to load (docs/simulator.md).</summary>
    public string? PoolFilePath { get; init; }

    /// <summary>An already parsed pool; wins over <see cref="PoolFilePath"/>. Default: a one-host pool with no VMs.</summary>
    public PoolDefinition? Pool { get; init; }

    /// <summary>The master's HTTP endpoint. <value>The default is 127.0.0.1 port 0 (a free port).</value></summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The master's HTTPS endpoint, or null for no HTTPS (the default). Port 0 = a free port.</summary>
    public IPEndPoint? HttpsListen { get; init; }

    /// <summary>Where disk contents live. <value>Default: a fresh temporary directory, deleted on dispose.</value></summary>
    public string? StateDirectory { get; init; }

    /// <summary>The clock for timestamps, delays and session lifetimes. <value>The default is <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Overrides the pool file's failed-login delay (XAPI waits before answering SESSION_AUTHENTICATION_FAILED).</summary>
    public TimeSpan? AuthenticationFailureDelay { get; init; }
}
