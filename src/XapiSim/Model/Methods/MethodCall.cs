using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>One call being executed: the message, its coerced arguments (session excluded, defaults filled in), the session and the host that answers.</summary>
internal sealed record MethodCall(SimulatedPool Pool, MessageSchema Message, IReadOnlyList<object> Args, string? Session, string HostRef, RpcCallContext Context)
{
    public string ClassName => Message.ClassName;

    public string Str(int index) => (string)Args[index];

    public long Long(int index) => (long)Args[index];

    public bool Bool(int index) => (bool)Args[index];

    public double Double(int index) => (double)Args[index];

    public IReadOnlyList<object> List(int index) => (IReadOnlyList<object>)Args[index];

    public IReadOnlyDictionary<string, object> Map(int index) => (IReadOnlyDictionary<string, object>)Args[index];
}
