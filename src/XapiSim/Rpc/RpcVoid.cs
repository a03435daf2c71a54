namespace XapiSim.Rpc;

/// <summary>The result of a method that returns nothing (XML-RPC <c>&lt;value&gt;&lt;/value&gt;</c>).</summary>
public sealed class RpcVoid
{
    private RpcVoid()
    {
    }

    public static RpcVoid Instance { get; } = new();
}
