using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>
/// XAPI's JSON-RPC endpoint (<c>POST /jsonrpc</c>, legacy <c>/json</c>): v1 and v2 per <see cref="JsonRpcRequestReader"/>,
/// replies <c>application/json</c> per <see cref="JsonRpcResponseWriter"/>. A malformed body, a bad <c>jsonrpc</c>
/// member or a missing id gets xapi's HTML 500 page (ocaml-rpc raises, http_svr answers), and the connection closes.
/// </summary>
internal sealed class JsonRpcHandler(IRpcDispatcher dispatcher) : IHttpHandler
{
    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        JsonRpcRequest request;
        try
        {
            request = JsonRpcRequestReader.Parse(await RpcRequestBody.ReadAsync(exchange, cancellationToken).ConfigureAwait(false));
        }
        catch (RpcMalformedRequestException e)
        {
            await exchange.RespondInternalErrorAsync(XapiErrorPages.EscapeHtml(e.Message), cancellationToken).ConfigureAwait(false);
            return;
        }

        var context = new RpcCallContext(request.Protocol, exchange.RemoteEndPoint, exchange.LocalEndPoint);
        var outcome = await RpcInvoker.InvokeAsync(dispatcher, request.Call, context, cancellationToken).ConfigureAwait(false);
        var bare = dispatcher.IsBareResultMethod(request.Call.Method);
        var body = RpcInvoker.Encode(
            outcome,
            value => JsonRpcResponseWriter.Success(request.Protocol, request.Id, value),
            description => JsonRpcResponseWriter.Failure(request.Protocol, request.Id, description, bare));
        await RpcReply.SendAsync(exchange, RpcReply.JsonContentType, body, cancellationToken).ConfigureAwait(false);
    }
}
