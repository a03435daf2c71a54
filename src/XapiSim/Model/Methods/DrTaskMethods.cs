using XapiSim.Model.Dr;
using XapiSim.Model.Sr;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary><c>DR_task.create(type, device_config, whitelist)</c> and <c>DR_task.destroy(self)</c> (<see cref="DrTasks"/>).</summary>
internal static class DrTaskMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("DR_task.create", call => DrTasks.Create(call.Pool, call.Str(0), SmBackend.Strings(call.Map(1)), [.. call.List(2).Select(u => (string)u)]));
        table.Add("DR_task.destroy", call =>
        {
            DrTasks.Destroy(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
    }
}
