using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace XapiSim.Http;

/// <summary>A loopback HTTP/1.x server on raw sockets, optionally TLS. CONTRACT STUB.</summary>
public sealed class HttpServer : IAsyncDisposable
{
    private HttpServer()
    {
    }

    /// <summary>The bound address (port 0 in the request becomes the real port).</summary>
    public IPEndPoint LocalEndPoint => throw new NotImplementedException();

    /// <summary>Binds, starts accepting, and returns once connections are accepted.</summary>
    public static Task<HttpServer> StartAsync(IPEndPoint endpoint, X509Certificate2? certificate, HttpRouter router, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    /// <summary>Stops accepting, closes open connections, waits for them.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
