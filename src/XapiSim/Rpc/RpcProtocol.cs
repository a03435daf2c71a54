namespace XapiSim.Rpc;

/// <summary>The wire protocol a call arrived on.</summary>
public enum RpcProtocol
{
    XmlRpc,
    JsonRpcV1,
    JsonRpcV2,
}
