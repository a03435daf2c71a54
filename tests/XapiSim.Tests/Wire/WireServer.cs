using System.Net;
using System.Security.Cryptography.X509Certificates;
using XapiSim.Http;
using XapiSim.Rpc;

namespace XapiSim.Tests.Wire;

/// <summary>A real <see cref="HttpServer"/> on 127.0.0.1, port 0, with the RPC endpoints over a <see cref="FakeDispatcher"/>.</summary>
internal sealed class WireServer : IAsyncDisposable
{
    private WireServer(HttpServer server, HttpRouter router, FakeDispatcher dispatcher)
    {
        Server = server;
        Router = router;
        Dispatcher = dispatcher;
    }

    public HttpServer Server { get; }

    public HttpRouter Router { get; }

    public FakeDispatcher Dispatcher { get; }

    public int Port => Server.LocalEndPoint.Port;

    public Uri BaseUri => new($"{(Server.IsTls ? "https" : "http")}://127.0.0.1:{Port}/");

    public static async Task<WireServer> StartAsync(X509Certificate2? certificate = null, Action<HttpRouter>? configure = null, HttpServerOptions? options = null)
    {
        var router = new HttpRouter();
        var dispatcher = new FakeDispatcher();
        RpcEndpoints.Map(router, dispatcher);
        configure?.Invoke(router);
        var server = await HttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), certificate, router, options ?? new HttpServerOptions(), CancellationToken.None);
        return new WireServer(server, router, dispatcher);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    public RawHttpConnection Connect() => RawHttpConnection.Open(Port);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
