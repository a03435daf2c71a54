namespace XapiSim.Rpc;

/// <summary>A decoded call: method name and arguments in the seam's value types.</summary>
internal sealed record RpcCall(string Method, IReadOnlyList<object> Args);
