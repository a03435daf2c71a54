using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>Sends an RPC reply with xapi's headers (<c>response_fct</c> plus the RPC callbacks' CORS headers).</summary>
internal static class RpcReply
{
    public const string XmlContentType = "text/xml";
    public const string JsonContentType = "application/json";

    public static ValueTask SendAsync(HttpExchange exchange, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        AddStandardHeaders(exchange);
        exchange.ResponseHeaders.Add("content-type", contentType);
        exchange.ResponseHeaders.Add("Access-Control-Allow-Origin", "*");
        exchange.ResponseHeaders.Add("Access-Control-Allow-Headers", "X-Requested-With");
        return exchange.WriteResponseAsync(body, cancellationToken);
    }

    /// <summary>Status 200 OK, <c>connection: keep-alive|close</c> as the client asked, <c>cache-control: no-cache, no-store</c>.</summary>
    public static void AddStandardHeaders(HttpExchange exchange)
    {
        exchange.StatusCode = 200;
        exchange.ReasonPhrase = "OK";
        exchange.ResponseHeaders.Add("connection", exchange.RequestKeepAlive ? "keep-alive" : "close");
        exchange.ResponseHeaders.Add("cache-control", "no-cache, no-store");
        exchange.CloseConnection |= !exchange.RequestKeepAlive;
    }
}
