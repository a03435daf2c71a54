namespace XapiSim.Rpc;

/// <summary>
/// Executes one XenAPI call. The wire codecs decode the request into plain values and encode the result.
/// </summary>
/// <remarks>
/// Values crossing this seam, in both directions:
/// <list type="bullet">
/// <item><c>string</c>: strings, enums and refs;</item>
/// <item><c>long</c>: int64 (XML-RPC: a bare decimal string; JSON: a number);</item>
/// <item><c>int</c>: int32 (XML-RPC <c>&lt;i4&gt;</c>, used only in <c>valid_ref_counts</c>);</item>
/// <item><c>bool</c>, <c>double</c>, <c>DateTime</c> (UTC, XML-RPC <c>dateTime.iso8601</c>, JSON the same text);</item>
/// <item><c>IReadOnlyList&lt;object&gt;</c>: sets;</item>
/// <item><c>IReadOnlyDictionary&lt;string, object&gt;</c>: maps and structs (key order is kept on the wire);</item>
/// <item><see cref="RpcVoid.Instance"/>: no result.</item>
/// </list>
/// Decoded arguments are what the client sent: an XML-RPC <c>&lt;value&gt;123&lt;/value&gt;</c> arrives as the
/// string "123", and the dispatcher coerces by the parameter's declared type, as XAPI does.
/// Errors are reported by throwing <see cref="XenApiFailure"/>.
/// </remarks>
public interface IRpcDispatcher
{
    /// <summary>Runs <paramref name="method"/> with <paramref name="args"/> (session first where the method takes one).</summary>
    ValueTask<object> CallAsync(string method, IReadOnlyList<object> args, RpcCallContext context, CancellationToken cancellationToken);

    /// <summary>
    /// True for methods whose XML-RPC reply is the bare value, with no Status/Value wrapper
    /// (<c>system.listMethods</c> and the other <c>system.*</c> methods).
    /// </summary>
    bool IsBareResultMethod(string method);
}
