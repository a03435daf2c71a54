using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>VM lifecycle: snapshot, checkpoint, clone, copy, destroy, start, shutdown, reboot, suspend, resume, pause, templates.</summary>
internal static class VmMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VM.snapshot", call =>
        {
            RequireSnapshottable(call.Pool.Database, call.Str(0));
            return VmCopies.Copy(new PoolObjects(call.Pool), call.Str(0), call.Str(1), call.List(2).Cast<string>().ToHashSet(StringComparer.Ordinal), VmCopies.Kind.Snapshot);
        });
        table.Add("VM.checkpoint", call =>
        {
            RequireSnapshottable(call.Pool.Database, call.Str(0));
            return VmCopies.Copy(new PoolObjects(call.Pool), call.Str(0), call.Str(1), [], VmCopies.Kind.Checkpoint);
        });
        table.Add("VM.clone", call => VmCopies.Copy(new PoolObjects(call.Pool), call.Str(0), call.Str(1), [], VmCopies.Kind.Clone));
        table.Add("VM.copy", call =>
        {
            if (!XapiValues.IsNull(call.Str(2)))
            {
                call.Pool.Database.Require("SR", call.Str(2));
            }

            return VmCopies.Copy(new PoolObjects(call.Pool), call.Str(0), call.Str(1), [], VmCopies.Kind.Clone, targetSr: call.Str(2));
        });
        table.Add("VM.revert", call => VmRevert.Revert(new PoolObjects(call.Pool), call.Str(0)));
        table.Add("VM.destroy", Destroy);
        table.Add("VM.start", call => Start(call, call.Str(0), call.Pool.MasterRef, call.Bool(1)));
        table.Add("VM.start_on", call => Start(call, call.Str(0), RequireHost(call, call.Str(1)), call.Bool(2)));
        table.Add("VM.clean_shutdown", call => Shutdown(call, ["Running"]));
        table.Add("VM.shutdown", call => Shutdown(call, ["Running"]));
        table.Add("VM.hard_shutdown", call => Shutdown(call, ["Paused", "Running", "Suspended"]));
        table.Add("VM.clean_reboot", call => Reboot(call, ["Running"]));
        table.Add("VM.hard_reboot", call => Reboot(call, ["Paused", "Running"]));
        table.Add("VM.pause", call => Transition(call, ["Running"], "Paused"));
        table.Add("VM.unpause", call => Transition(call, ["Paused"], "Running"));
        table.Add("VM.suspend", Suspend);
        table.Add("VM.resume", Resume);
        table.Add("VM.set_is_a_template", call =>
        {
            var db = call.Pool.Database;
            var vm = call.Str(0);
            lock (db.SyncRoot)
            {
                var record = db.GetRecord("VM", vm);
                if (call.Bool(1) && (string)record["power_state"] != "Halted")
                {
                    throw BadPowerState(vm, ["Halted"], (string)record["power_state"]);
                }

                if (call.Bool(1) && (string)record["appliance"] is var appliance && db.Exists(appliance, "VM_appliance"))
                {
                    throw new XenApiFailure("VM_IS_PART_OF_AN_APPLIANCE", vm, appliance);
                }

                db.Set("VM", vm, "is_a_template", call.Bool(1));
                db.Set("VM", vm, "allowed_operations", VmAllowedOperations.For((string)record["power_state"], call.Bool(1), (bool)record["is_a_snapshot"], false));
            }

            return RpcVoid.Instance;
        });
    }

    /// <summary><c>VM_BAD_POWER_STATE [vm, expected, actual]</c>, lower-case, expected states joined with ';'.</summary>
    public static XenApiFailure BadPowerState(string vm, IEnumerable<string> expected, string actual)
        => new("VM_BAD_POWER_STATE", vm, string.Join(';', expected.Select(s => s.ToLowerInvariant())), actual.ToLowerInvariant());

    private static void RequireSnapshottable(PoolDatabase db, string vm)
    {
        var record = db.GetRecord("VM", vm);
        if ((bool)record["is_control_domain"])
        {
            throw new XenApiFailure("OPERATION_NOT_ALLOWED", "This operation is not allowed on the control domain");
        }

        if ((bool)record["is_a_template"])
        {
            throw new XenApiFailure("VM_IS_TEMPLATE", vm);
        }
    }

    private static string RequireHost(MethodCall call, string host)
    {
        call.Pool.Database.Require("host", host);
        return host;
    }

    private static object Destroy(MethodCall call)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            if ((bool)record["is_control_domain"])
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "This operation is not allowed on the control domain");
            }

            var state = (string)record["power_state"];
            if (state is not ("Halted" or "Suspended"))
            {
                throw BadPowerState(vm, ["Halted", "Suspended"], state);
            }

            foreach (var field in new[] { "VBDs", "VIFs", "consoles", "VTPMs", "VUSBs", "VGPUs", "crash_dumps" })
            {
                foreach (var device in (IReadOnlyList<object>)record[field])
                {
                    db.Destroy((string)device);
                }
            }

            foreach (var field in new[] { "metrics", "guest_metrics" })
            {
                if (!XapiValues.IsNull((string)record[field]))
                {
                    db.Destroy((string)record[field]);
                }
            }

            db.Destroy(vm);
        }

        return RpcVoid.Instance;
    }

    private static object Start(MethodCall call, string vm, string host, bool paused)
    {
        var db = call.Pool.Database;
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            if ((bool)record["is_a_template"])
            {
                throw new XenApiFailure("VM_IS_TEMPLATE", vm);
            }

            if ((string)record["power_state"] != "Halted")
            {
                throw BadPowerState(vm, ["Halted"], (string)record["power_state"]);
            }

            SetRunning(call.Pool, vm, host, paused ? "Paused" : "Running");
        }

        return RpcVoid.Instance;
    }

    private static void SetRunning(SimulatedPool pool, string vm, string host, string state)
    {
        var db = pool.Database;
        var record = db.GetRecord("VM", vm);
        var objects = new PoolObjects(pool);
        db.Set("VM", vm, "power_state", state);
        db.Set("VM", vm, "resident_on", host);
        db.Set("VM", vm, "domid", PoolObjects.NextDomid());
        db.Set("VM", vm, "domarch", "x64");
        db.Set("VM", vm, "memory_target", record["memory_dynamic_max"]);
        db.Set("VM", vm, "allowed_operations", VmAllowedOperations.For(state, false, false, false));
        var metrics = (string)record["metrics"];
        if (db.Exists(metrics, "VM_metrics"))
        {
            db.Set("VM_metrics", metrics, "start_time", pool.Now);
            db.Set("VM_metrics", metrics, "memory_actual", record["memory_dynamic_max"]);
            db.Set("VM_metrics", metrics, "VCPUs_number", record["VCPUs_at_startup"]);
            db.Set("VM_metrics", metrics, "current_domain_type", "hvm");
        }
        else
        {
            db.Set("VM", vm, "metrics", objects.CreateVmMetrics((long)record["memory_dynamic_max"], (long)record["VCPUs_at_startup"], true));
        }

        if (XapiValues.IsNull((string)record["guest_metrics"]))
        {
            db.Set("VM", vm, "guest_metrics", objects.CreateGuestMetrics((string)record["name_label"]));
        }

        SetDevicesAttached(db, record, true);
        ApplianceOperations.UpdateOfVm(db, vm);
    }

    private static void SetHalted(SimulatedPool pool, string vm, string state)
    {
        var db = pool.Database;
        var record = db.GetRecord("VM", vm);
        db.Set("VM", vm, "power_state", state);
        db.Set("VM", vm, "resident_on", XapiValues.NullRef);
        db.Set("VM", vm, "domid", -1L);
        db.Set("VM", vm, "memory_target", 0L);
        db.Set("VM", vm, "allowed_operations", VmAllowedOperations.For(state, (bool)record["is_a_template"], (bool)record["is_a_snapshot"], false));
        var metrics = (string)record["metrics"];
        if (db.Exists(metrics, "VM_metrics"))
        {
            db.Set("VM_metrics", metrics, "memory_actual", 0L);
            db.Set("VM_metrics", metrics, "VCPUs_number", 0L);
            db.Set("VM_metrics", metrics, "current_domain_type", "unspecified");
        }

        var guest = (string)record["guest_metrics"];
        if (!XapiValues.IsNull(guest))
        {
            db.Destroy(guest);
            db.Set("VM", vm, "guest_metrics", XapiValues.NullRef);
        }

        SetDevicesAttached(db, record, false);
        ApplianceOperations.UpdateOfVm(db, vm);
    }

    private static void SetDevicesAttached(PoolDatabase db, IReadOnlyDictionary<string, object> record, bool attached)
    {
        foreach (var (field, cls) in new[] { ("VBDs", "VBD"), ("VIFs", "VIF") })
        {
            foreach (var device in (IReadOnlyList<object>)record[field])
            {
                db.Set(cls, (string)device, "currently_attached", attached);
                db.Set(cls, (string)device, "allowed_operations", new List<object> { attached ? "unplug" : "attach" });
            }
        }
    }

    private static object Shutdown(MethodCall call, string[] allowed)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            RequireState(vm, record, allowed);
            var suspendVdi = (string)record["suspend_VDI"];
            if (!XapiValues.IsNull(suspendVdi))
            {
                DestroySuspendImage(call.Pool, vm, suspendVdi);
            }

            SetHalted(call.Pool, vm, "Halted");
        }

        return RpcVoid.Instance;
    }

    private static object Reboot(MethodCall call, string[] allowed)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            RequireState(vm, record, allowed);
            db.Set("VM", vm, "domid", PoolObjects.NextDomid());
            db.Set("VM", vm, "power_state", "Running");
        }

        return RpcVoid.Instance;
    }

    private static object Transition(MethodCall call, string[] allowed, string target)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            RequireState(vm, db.GetRecord("VM", vm), allowed);
            db.Set("VM", vm, "power_state", target);
            db.Set("VM", vm, "allowed_operations", VmAllowedOperations.For(target, false, false, false));
            ApplianceOperations.UpdateOfVm(db, vm);
        }

        return RpcVoid.Instance;
    }

    private static object Suspend(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            RequireState(vm, record, ["Running"]);
            var sr = db.GetString("pool", pool.PoolRef, "suspend_image_SR");
            var size = (long)record["memory_static_max"] + (1L << 20);
            var suspend = new PoolObjects(pool).CreateEmptyVdi(sr, "Suspend image", "suspend", size);
            SetHalted(pool, vm, "Suspended");
            db.Set("VM", vm, "suspend_VDI", suspend);
        }

        return RpcVoid.Instance;
    }

    private static object Resume(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            RequireState(vm, record, ["Suspended"]);
            DestroySuspendImage(pool, vm, (string)record["suspend_VDI"]);
            SetRunning(pool, vm, pool.MasterRef, call.Bool(1) ? "Paused" : "Running");
        }

        return RpcVoid.Instance;
    }

    private static void DestroySuspendImage(SimulatedPool pool, string vm, string vdi)
    {
        var db = pool.Database;
        db.Set("VM", vm, "suspend_VDI", XapiValues.NullRef);
        if (db.Exists(vdi, "VDI"))
        {
            var sr = db.GetString("VDI", vdi, "SR");
            pool.DropDisk(vdi);
            db.Destroy(vdi);
            new PoolObjects(pool).RefreshSrUsage(sr);
        }
    }

    private static void RequireState(string vm, IReadOnlyDictionary<string, object> record, string[] allowed)
    {
        var state = (string)record["power_state"];
        if (!allowed.Contains(state))
        {
            throw BadPowerState(vm, allowed, state);
        }
    }
}
