using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace XapiSim.Http;

/// <summary>An HTTP/1.x server on raw sockets, optionally TLS, modelled on xapi's http_svr.</summary>
/// <remarks>
/// One task per connection. HTTP/1.1 connections stay open unless the client sends <c>Connection: close</c>;
/// HTTP/1.0 ones close unless it sends <c>Connection: keep-alive</c>. A malformed request or a client that
/// disconnects affects only its own connection. <see cref="DisposeAsync"/> stops accepting, cancels handlers,
/// closes every connection and waits for their tasks.
/// </remarks>
public sealed class HttpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly HttpRouter _router;
    private readonly HttpServerOptions _options;
    private readonly TlsServerSettings? _tls;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<HttpConnection, Task> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private HttpServer(Socket listener, HttpRouter router, TlsServerSettings? tls, HttpServerOptions options)
    {
        _listener = listener;
        _router = router;
        _tls = tls;
        _options = options;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The bound address (port 0 in the request becomes the real port).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True when connections are TLS.</summary>
    public bool IsTls => _tls is not null;

    /// <summary>Connections currently open.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Binds, starts accepting, and returns once connections are accepted.</summary>
    public static Task<HttpServer> StartAsync(IPEndPoint endpoint, X509Certificate2? certificate, HttpRouter router, CancellationToken cancellationToken)
        => StartAsync(endpoint, certificate, router, new HttpServerOptions(), cancellationToken);

    /// <summary>Binds with explicit <paramref name="options"/>; see <see cref="StartAsync(IPEndPoint, X509Certificate2?, HttpRouter, CancellationToken)"/>.</summary>
    public static Task<HttpServer> StartAsync(IPEndPoint endpoint, X509Certificate2? certificate, HttpRouter router, HttpServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestHeadBytes, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxRequestHeadBytes, 65536);
        cancellationToken.ThrowIfCancellationRequested();
        var tls = certificate is null ? null : new TlsServerSettings(certificate);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new HttpServer(listener, router, tls, options);
        server._acceptLoop = server.AcceptLoopAsync();
        return Task.FromResult(server);
    }

    /// <summary>Stops accepting, closes open connections, waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // Transient accept failures (e.g. out of descriptors): back off briefly instead of spinning.
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var connection = new HttpConnection(socket, _router, _tls, _options);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = Task.Run(
                async () =>
                {
                    await started.Task.ConfigureAwait(false);
                    try
                    {
                        await connection.RunAsync(token).ConfigureAwait(false);
                    }
                    finally
                    {
                        _connections.TryRemove(connection, out _);
                    }
                },
                CancellationToken.None);
            _connections[connection] = task;
            started.SetResult();
            if (token.IsCancellationRequested)
            {
                connection.Abort();
            }
        }
    }
}
