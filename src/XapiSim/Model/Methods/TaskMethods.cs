using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary><c>task.create</c>, <c>cancel</c>, <c>destroy</c> and the explicit setters; getters are generic.</summary>
internal static class TaskMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("task.create", call => call.Pool.CreateTask(call.Str(0), call.Str(1), call.Session, call.HostRef));
        table.Add("task.cancel", call =>
        {
            call.Pool.CancelTask(call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("task.destroy", call =>
        {
            call.Pool.Database.Require("task", call.Str(0));
            call.Pool.Database.Destroy(call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("task.set_progress", call => SetField(call, "progress"));
        table.Add("task.set_status", call => SetField(call, "status"));
        table.Add("task.set_result", call => SetField(call, "result"));
        table.Add("task.set_error_info", call => SetField(call, "error_info"));
        table.Add("task.set_resident_on", call => SetField(call, "resident_on"));
    }

    private static object SetField(MethodCall call, string field)
    {
        call.Pool.Database.Set("task", call.Str(0), field, call.Args[1]);
        return RpcVoid.Instance;
    }
}
