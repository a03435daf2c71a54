using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>Registers XAPI's RPC endpoints (XML-RPC on <c>/</c>, <c>/RPC2</c> and any other POST path; JSON-RPC on <c>/jsonrpc</c> and <c>/json</c>; OPTIONS preflight).</summary>
public static class RpcEndpoints
{
    /// <summary>
    /// Maps <c>POST /</c> (hence every POST path no longer prefix claims) and <c>POST /RPC2</c> to XML-RPC,
    /// <c>POST /jsonrpc</c> and <c>POST /json</c> to JSON-RPC, and <c>OPTIONS /</c> and <c>OPTIONS /jsonrpc</c> to the CORS preflight.
    /// </summary>
    public static void Map(HttpRouter router, IRpcDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var xml = new XmlRpcHandler(dispatcher);
        var json = new JsonRpcHandler(dispatcher);
        var preflight = new RpcPreflightHandler();
        router.Map("POST", "/", xml);
        router.Map("POST", "/RPC2", xml);
        router.Map("POST", "/jsonrpc", json);
        router.Map("POST", "/json", json);
        router.Map("OPTIONS", "/", preflight);
        router.Map("OPTIONS", "/jsonrpc", preflight);
    }
}
