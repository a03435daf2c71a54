using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>
/// xapi's <c>respond_to_options</c>: 200 with an empty body, <c>Access-Control-Allow-Origin: *</c>,
/// <c>Access-Control-Allow-Headers</c> (the requested headers plus <c>X-Requested-With</c>) and
/// <c>Access-Control-Allow-Methods: PUT</c>.
/// </summary>
internal sealed class RpcPreflightHandler : IHttpHandler
{
    public ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        RpcReply.AddStandardHeaders(exchange);
        var requested = exchange.RequestHeaders["Access-Control-Request-Headers"];
        exchange.ResponseHeaders.Add("Access-Control-Allow-Origin", "*");
        exchange.ResponseHeaders.Add("Access-Control-Allow-Headers", requested is null ? "X-Requested-With" : requested + ", X-Requested-With");
        exchange.ResponseHeaders.Add("Access-Control-Allow-Methods", "PUT");
        return exchange.WriteResponseAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
    }
}
