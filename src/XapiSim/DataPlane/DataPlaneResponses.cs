using XapiSim.Http;

namespace XapiSim.DataPlane;

/// <summary>The header-only answers of xapi's data plane (<c>Http_svr.headers s (http_4xx ...)</c>): no body, connection closed.</summary>
internal static class DataPlaneResponses
{
    /// <summary>Status line, <c>Connection: close</c>, <c>Cache-Control: no-cache, no-store</c>, nothing else.</summary>
    public static async ValueTask HeadersOnlyAsync(HttpExchange exchange, int status, string reason, string version, CancellationToken cancellationToken)
    {
        exchange.StatusCode = status;
        exchange.ReasonPhrase = reason;
        exchange.ResponseVersion = version;
        exchange.ResponseContentLength = null;
        exchange.CloseConnection = true;
        exchange.ResponseHeaders.Add("Connection", "close");
        exchange.ResponseHeaders.Add("Cache-Control", "no-cache, no-store");
        await exchange.SendHeadersAsync(cancellationToken).ConfigureAwait(false);
    }

    public static ValueTask BadRequestAsync(HttpExchange exchange, CancellationToken cancellationToken)
        => HeadersOnlyAsync(exchange, 400, "Bad Request", "1.1", cancellationToken);

    public static ValueTask ForbiddenAsync(HttpExchange exchange, CancellationToken cancellationToken)
        => HeadersOnlyAsync(exchange, 403, "Forbidden", "1.1", cancellationToken);

    public static ValueTask NotFoundAsync(HttpExchange exchange, string version, CancellationToken cancellationToken)
        => HeadersOnlyAsync(exchange, 404, "Not Found", version, cancellationToken);
}
