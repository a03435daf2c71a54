namespace XapiSim.Http;

/// <summary>Serves one HTTP request (an RPC endpoint or a data-plane handler such as <c>/export</c>).</summary>
/// <remarks>
/// The handler owns the response: it sets the status, headers and body on the <see cref="HttpExchange"/>.
/// If it returns without having sent anything, an empty response with the current status is sent.
/// If it throws before the headers went out, the client gets xapi's HTML 500 page; after that, the
/// connection is dropped. The token is cancelled when the server stops.
/// </remarks>
public interface IHttpHandler
{
    ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken);
}
