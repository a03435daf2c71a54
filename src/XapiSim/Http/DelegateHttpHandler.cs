namespace XapiSim.Http;

/// <summary>Adapts a delegate to <see cref="IHttpHandler"/>.</summary>
internal sealed class DelegateHttpHandler(Func<HttpExchange, CancellationToken, ValueTask> handle) : IHttpHandler
{
    public ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken) => handle(exchange, cancellationToken);
}
