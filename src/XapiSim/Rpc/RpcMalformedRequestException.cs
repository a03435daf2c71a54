namespace XapiSim.Rpc;

/// <summary>An RPC body that cannot be decoded; xapi answers it with its HTML 500 page, not an envelope.</summary>
internal sealed class RpcMalformedRequestException : Exception
{
    public RpcMalformedRequestException(string message)
        : base(message)
    {
    }

    public RpcMalformedRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
