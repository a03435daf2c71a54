namespace XapiSim.Rpc;

/// <summary>The result of dispatching a call: a value, or an XAPI error description (code first).</summary>
internal readonly record struct RpcOutcome(object? Value, IReadOnlyList<string>? ErrorDescription)
{
    public bool IsSuccess => ErrorDescription is null;

    public static RpcOutcome Success(object value) => new(value, null);

    public static RpcOutcome Failure(IReadOnlyList<string> description) => new(null, description);
}
