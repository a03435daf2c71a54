namespace XapiSim.Rpc;

/// <summary>
/// An explicit null on the wire: a decoded XML-RPC <c>&lt;nil/&gt;</c> or JSON <c>null</c> (XAPI's <c>Rpc.Null</c>).
/// It never stands for "no result" (that is <see cref="RpcVoid"/>). Encoded back as <c>&lt;value&gt;&lt;nil/&gt;&lt;/value&gt;</c>
/// or <c>null</c>. A dispatcher that meets it where a typed value is expected should fail the call as for any wrongly typed argument.
/// </summary>
public sealed class RpcNil
{
    private RpcNil()
    {
    }

    public static RpcNil Instance { get; } = new();

    public override string ToString() => "nil";
}
