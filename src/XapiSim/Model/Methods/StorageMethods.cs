using XapiSim.Model.Sr;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// SR and PBD lifecycle calls over the pool's storage targets (<see cref="SrOperations"/>): <c>SR.probe</c>,
/// <c>SR.introduce</c>, <c>SR.forget</c>, <c>SR.scan</c>, <c>PBD.create</c>, <c>PBD.plug</c>, <c>PBD.unplug</c>,
/// <c>PBD.destroy</c>.
/// </summary>
internal static class StorageMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("SR.probe", call =>
        {
            call.Pool.Database.Require("host", call.Str(0));
            return StorageProbe.Probe(call.Pool, SmBackend.Strings(call.Map(1)), call.Str(2).ToLowerInvariant(), SmBackend.Strings(call.Map(3)));
        });
        table.Add("SR.introduce", call => SrOperations.Introduce(call.Pool, call.Str(0), call.Str(1), call.Str(2), call.Str(3), call.Str(4), call.Bool(5), call.Map(6)));
        table.Add("SR.forget", call =>
        {
            SrOperations.Forget(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("SR.scan", call =>
        {
            SrOperations.Scan(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("PBD.create", call =>
        {
            var fields = RecordArgument.Fields(Database.PoolDatabase.Model["PBD"], call.Map(0));
            return SrOperations.CreatePbd(
                call.Pool,
                fields.GetValueOrDefault("host") as string ?? Schema.XapiValues.NullRef,
                fields.GetValueOrDefault("SR") as string ?? Schema.XapiValues.NullRef,
                fields.GetValueOrDefault("device_config") as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>(),
                fields.GetValueOrDefault("other_config") as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>());
        });
        table.Add("PBD.plug", call =>
        {
            SrOperations.Plug(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("PBD.unplug", call =>
        {
            SrOperations.Unplug(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("PBD.destroy", call =>
        {
            SrOperations.DestroyPbd(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
    }
}
