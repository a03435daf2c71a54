using System.Collections.Concurrent;
using XapiSim.Rpc;

namespace XapiSim.Tests.Wire;

/// <summary>A tiny dispatcher: echoes, fails, returns every value type, and records what it received.</summary>
internal sealed class FakeDispatcher : IRpcDispatcher
{
    public static readonly DateTime Stamp = new(2024, 2, 29, 13, 5, 9, DateTimeKind.Utc);

    public ConcurrentQueue<(string Method, IReadOnlyList<object> Args, RpcCallContext Context)> Calls { get; } = new();

    public static IReadOnlyDictionary<string, object> AllTypes() => new Dictionary<string, object>
    {
        ["string"] = "a<b>&\"c'\u0001d\te",
        ["ref"] = "OpaqueRef:0b7c1c2e-5c1c-4d8e-9a7b-2f4d0c1e9a11",
        ["int64"] = 9_007_199_254_740_993L,
        ["int32"] = 42,
        ["bool_true"] = true,
        ["bool_false"] = false,
        ["double"] = 0.1,
        ["double_integral"] = 2.0,
        ["datetime"] = Stamp,
        ["set"] = new List<object> { "x", 1L },
        ["empty_set"] = Array.Empty<object>(),
        ["map"] = new Dictionary<string, string> { ["k&"] = "v" },
        ["void"] = RpcVoid.Instance,
    };

    public ValueTask<object> CallAsync(string method, IReadOnlyList<object> args, RpcCallContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue((method, args, context));
        return method switch
        {
            "test.echo" => ValueTask.FromResult<object>(args),
            "test.void" => ValueTask.FromResult<object>(RpcVoid.Instance),
            "test.all_types" => ValueTask.FromResult<object>(AllTypes()),
            "test.fail" => throw new XenApiFailure("HANDLE_INVALID", "VM", "OpaqueRef:bad"),
            "test.crash" => throw new InvalidOperationException("kaput"),
            "test.double" => ValueTask.FromResult<object>(double.Parse((string)args[0], System.Globalization.CultureInfo.InvariantCulture)),
            "test.slow" => SlowAsync(cancellationToken),
            "test.unencodable" => ValueTask.FromResult<object>(new Uri("http://x/")),
            "system.listMethods" => ValueTask.FromResult<object>(new[] { "VM.get_all_records", "session.login_with_password" }),
            _ => throw new XenApiFailure("MESSAGE_METHOD_UNKNOWN", method),
        };
    }

    public bool IsBareResultMethod(string method) => method.StartsWith("system.", StringComparison.Ordinal);

    private static async ValueTask<object> SlowAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(50, cancellationToken);
        return "slow";
    }
}
