using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary><c>VM.create</c> and the memory setters that check XAPI's constraint order (static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max).</summary>
internal static class VmSettingsMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VM.create", Create);
        table.Add("VM.set_memory_limits", call => SetMemory(call, call.Long(1), call.Long(2), call.Long(3), call.Long(4)));
        table.Add("VM.set_memory_static_range", call =>
        {
            var m = Current(call);
            return SetMemory(call, call.Long(1), call.Long(2), m.DynamicMin, m.DynamicMax);
        });
        table.Add("VM.set_memory_dynamic_range", call =>
        {
            var m = Current(call);
            return SetMemory(call, m.StaticMin, m.StaticMax, call.Long(1), call.Long(2), staticChange: false);
        });
        table.Add("VM.set_memory", call => SetMemory(call, Current(call).StaticMin, call.Long(1), call.Long(1), call.Long(1)));
        table.Add("VM.set_memory_static_max", call =>
        {
            var m = Current(call);
            return SetMemory(call, m.StaticMin, call.Long(1), m.DynamicMin, m.DynamicMax);
        });
        table.Add("VM.set_memory_static_min", call =>
        {
            var m = Current(call);
            return SetMemory(call, call.Long(1), m.StaticMax, m.DynamicMin, m.DynamicMax);
        });
        table.Add("VM.set_memory_dynamic_max", call =>
        {
            var m = Current(call);
            return SetMemory(call, m.StaticMin, m.StaticMax, m.DynamicMin, call.Long(1), staticChange: false);
        });
        table.Add("VM.set_memory_dynamic_min", call =>
        {
            var m = Current(call);
            return SetMemory(call, m.StaticMin, m.StaticMax, call.Long(1), m.DynamicMax, staticChange: false);
        });
    }

    private static object Create(MethodCall call)
    {
        var pool = call.Pool;
        var fields = RecordArgument.Fields(PoolDatabase.Model["VM"], call.Map(0));
        var memory = fields.GetValueOrDefault("memory_static_max") as long? ?? 0L;
        var vcpus = fields.GetValueOrDefault("VCPUs_at_startup") as long? ?? 1L;
        var isTemplate = fields.GetValueOrDefault("is_a_template") is true;
        fields["power_state"] = "Halted";
        fields.TryAdd("name_label", string.Empty);
        var name = (string)fields["name_label"];
        fields.Remove("name_label");
        var defaults = new PoolObjects(pool).CreateVmDefaults(memory);
        foreach (var (k, v) in fields)
        {
            defaults[k] = v;
        }

        defaults["is_a_template"] = isTemplate;
        return new PoolObjects(pool).CreateVm(name, memory, vcpus, "Halted", defaults);
    }

    private static (long StaticMin, long StaticMax, long DynamicMin, long DynamicMax) Current(MethodCall call)
    {
        var record = call.Pool.Database.GetRecord("VM", call.Str(0));
        return ((long)record["memory_static_min"], (long)record["memory_static_max"], (long)record["memory_dynamic_min"], (long)record["memory_dynamic_max"]);
    }

    private static object SetMemory(MethodCall call, long staticMin, long staticMax, long dynamicMin, long dynamicMax, bool staticChange = true)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var state = db.GetString("VM", vm, "power_state");
            if (staticChange && state != "Halted")
            {
                throw VmMethods.BadPowerState(vm, ["Halted"], state);
            }

            if (!(staticMin <= dynamicMin && dynamicMin <= dynamicMax && dynamicMax <= staticMax))
            {
                throw new XenApiFailure("MEMORY_CONSTRAINT_VIOLATION_ORDER");
            }

            db.Set("VM", vm, "memory_static_min", staticMin);
            db.Set("VM", vm, "memory_static_max", staticMax);
            db.Set("VM", vm, "memory_dynamic_min", dynamicMin);
            db.Set("VM", vm, "memory_dynamic_max", dynamicMax);
        }

        return RpcVoid.Instance;
    }
}
