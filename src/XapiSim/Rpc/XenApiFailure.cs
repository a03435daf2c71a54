namespace XapiSim.Rpc;

/// <summary>
/// An API error as XAPI reports it: <c>ErrorDescription = [code, param1, ...]</c> in XML-RPC,
/// <c>error</c> in JSON-RPC. Thrown by the model, turned into an envelope by the wire codecs.
/// </summary>
public sealed class XenApiFailure : Exception
{
    public XenApiFailure(string code, params string[] parameters)
        : base(parameters.Length == 0 ? code : code + " [" + string.Join(", ", parameters) + "]")
    {
        Code = code;
        Parameters = parameters;
    }

    /// <summary>The XAPI error code, e.g. <c>HANDLE_INVALID</c>.</summary>
    public string Code { get; }

    /// <summary>The error parameters, in XAPI's order.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The whole description, code first, as it goes on the wire.</summary>
    public IReadOnlyList<string> Description => [Code, .. Parameters];
}
