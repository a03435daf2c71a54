using System.Net;
using System.Runtime.InteropServices;
using XapiSim;
using XapiSim.PoolFile;

// xapisim --pool POOL.json --listen 127.0.0.1:PORT [--https-listen 127.0.0.1:PORT2] [--state DIR]
// stdout: "xapisim: listening on http://..." (+ "xapisim: listening on https://... SHA-256 fingerprint XX:..").
// Exit codes: 0 after SIGINT/SIGTERM, 1 bad pool file, 2 bad arguments.
string? poolPath = null;
string? stateDir = null;
IPEndPoint listen = new(IPAddress.Loopback, 0);
IPEndPoint? httpsListen = null;
for (var i = 0; i < args.Length; i++)
{
    var option = args[i];
    if (option is "-h" or "--help")
    {
        Console.Out.WriteLine("usage: xapisim --pool POOL.json [--listen 127.0.0.1:PORT] [--https-listen 127.0.0.1:PORT] [--state DIR]");
        return 0;
    }

    if (i + 1 >= args.Length || option is not ("--pool" or "--listen" or "--https-listen" or "--state"))
    {
        return Fail(2, option.StartsWith('-') && option is "--pool" or "--listen" or "--https-listen" or "--state"
            ? $"option {option} needs a value"
            : $"unknown argument \"{option}\" (usage: xapisim --pool POOL.json --listen 127.0.0.1:PORT [--https-listen 127.0.0.1:PORT] [--state DIR])");
    }

    var value = args[++i];
    switch (option)
    {
        case "--pool":
            poolPath = value;
            break;
        case "--state":
            stateDir = value;
            break;
        case "--listen":
            if (!IPEndPoint.TryParse(value, out var endpoint) || !value.Contains(':', StringComparison.Ordinal))
            {
                return Fail(2, $"--listen: not an address:port: \"{value}\"");
            }

            listen = endpoint;
            break;
        default:
            if (!IPEndPoint.TryParse(value, out var httpsEndpoint) || !value.Contains(':', StringComparison.Ordinal))
            {
                return Fail(2, $"--https-listen: not an address:port: \"{value}\"");
            }

            httpsListen = httpsEndpoint;
            break;
    }
}

if (poolPath is null)
{
    return Fail(2, "--pool is required (usage: xapisim --pool POOL.json --listen 127.0.0.1:PORT)");
}

PoolDefinition pool;
try
{
    pool = PoolFileParser.Load(poolPath);
}
catch (PoolFileException exception)
{
    return Fail(1, $"{Path.GetFileName(poolPath)}: {exception.Message}");
}
catch (IOException exception)
{
    return Fail(1, $"{poolPath}: {exception.Message}");
}
catch (UnauthorizedAccessException exception)
{
    return Fail(1, $"{poolPath}: {exception.Message}");
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    await RunAsync(new SimulatorOptions { Pool = pool, Listen = listen, HttpsListen = httpsListen, StateDirectory = stateDir }, stop.Token);
}
catch (System.Net.Sockets.SocketException exception)
{
    return Fail(1, $"cannot listen: {exception.Message}");
}

return 0;

static int Fail(int code, string message)
{
    Console.Error.WriteLine("xapisim: " + message);
    return code;
}

static async Task RunAsync(SimulatorOptions options, CancellationToken stopToken)
{
    await using var simulator = await XapiSimulator.StartAsync(options, stopToken);
    Console.Out.WriteLine($"xapisim: listening on {simulator.HttpUri.GetLeftPart(UriPartial.Authority)}");
    if (simulator.HttpsUri is { } https)
    {
        Console.Out.WriteLine($"xapisim: listening on {https.GetLeftPart(UriPartial.Authority)} SHA-256 fingerprint {simulator.CertificateFingerprint}");
    }

    Console.Out.Flush();
    try
    {
        await Task.Delay(Timeout.Infinite, stopToken);
    }
    catch (OperationCanceledException)
    {
        // SIGINT or SIGTERM: stop cleanly.
    }
}
