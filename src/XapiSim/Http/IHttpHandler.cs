namespace XapiSim.Http;

/// <summary>Serves one HTTP request (an RPC endpoint or a data-plane handler such as <c>/export</c>).</summary>
public interface IHttpHandler
{
    ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken);
}
