using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>
/// XAPI's XML-RPC endpoint (<c>POST /</c>, <c>/RPC2</c> and every other unmatched POST path): decodes the
/// <c>methodCall</c>, dispatches, and replies <c>text/xml</c> with the Status envelope (the bare value for
/// bare-result methods). An undecodable body gets xapi's HTML 500 page and the connection closes.
/// </summary>
internal sealed class XmlRpcHandler(IRpcDispatcher dispatcher) : IHttpHandler
{
    public async ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        RpcCall call;
        try
        {
            call = XmlRpcRequestReader.Parse(await RpcRequestBody.ReadAsync(exchange, cancellationToken).ConfigureAwait(false));
        }
        catch (RpcMalformedRequestException e)
        {
            await exchange.RespondInternalErrorAsync(XapiErrorPages.EscapeHtml(e.Message), cancellationToken).ConfigureAwait(false);
            return;
        }

        var context = new RpcCallContext(RpcProtocol.XmlRpc, exchange.RemoteEndPoint, exchange.LocalEndPoint);
        var outcome = await RpcInvoker.InvokeAsync(dispatcher, call, context, cancellationToken).ConfigureAwait(false);
        var bare = dispatcher.IsBareResultMethod(call.Method);
        var body = RpcInvoker.Encode(
            outcome,
            value => bare ? XmlRpcResponseWriter.Bare(value) : XmlRpcResponseWriter.Success(value),
            description => bare ? XmlRpcResponseWriter.Bare(description) : XmlRpcResponseWriter.Failure(description));
        await RpcReply.SendAsync(exchange, RpcReply.XmlContentType, body, cancellationToken).ConfigureAwait(false);
    }
}
