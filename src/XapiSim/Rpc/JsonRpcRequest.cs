namespace XapiSim.Rpc;

/// <summary>A decoded JSON-RPC request: protocol version, the id to echo (<c>long</c> or <c>string</c>), and the call.</summary>
internal sealed record JsonRpcRequest(RpcProtocol Protocol, object Id, RpcCall Call);
