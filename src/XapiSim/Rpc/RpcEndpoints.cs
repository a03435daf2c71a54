using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>Registers XAPI's RPC endpoints (XML-RPC on <c>/</c>, <c>/RPC2</c> and any other POST path; JSON-RPC on <c>/jsonrpc</c> and <c>/json</c>; OPTIONS preflight). CONTRACT STUB.</summary>
public static class RpcEndpoints
{
    public static void Map(HttpRouter router, IRpcDispatcher dispatcher) => throw new NotImplementedException();
}
