using XapiSim.Model.Database;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Pool;

/// <summary>
/// The operations of a <c>VM_appliance</c> (xapi's <c>Xapi_vm_appliance_lifecycle</c>): one at a time, none on
/// an empty appliance, and each only when some VM of the appliance is in a state it applies to. Kept in
/// <c>VM_appliance.allowed_operations</c>, refreshed whenever a member VM changes power state.
/// </summary>
internal static class ApplianceOperations
{
    /// <summary>The operations in the order xapi lists them.</summary>
    public static IReadOnlyList<string> All { get; } = ["start", "clean_shutdown", "hard_shutdown", "shutdown"];

    /// <summary>
    /// Why <paramref name="operation"/> is not allowed: <c>OTHER_OPERATION_IN_PROGRESS [VM_appliance, ref, op, task]</c>
    /// or <c>OPERATION_NOT_ALLOWED [reason]</c>; null when it is.
    /// </summary>
    public static XenApiFailure? Check(PoolDatabase db, string appliance, string operation)
    {
        lock (db.SyncRoot)
        {
            var current = (IReadOnlyDictionary<string, object>)db.Get("VM_appliance", appliance, "current_operations");
            if (current.Count > 0)
            {
                var (task, op) = current.First();
                return new XenApiFailure("OTHER_OPERATION_IN_PROGRESS", "VM_appliance", appliance, (string)op, task);
            }

            var states = db.GetStrings("VM_appliance", appliance, "VMs").Select(vm => db.GetString("VM", vm, "power_state")).ToList();
            if (states.Count == 0)
            {
                return new XenApiFailure("OPERATION_NOT_ALLOWED", "Appliance has no VMs.");
            }

            var (applies, reason) = operation switch
            {
                "start" => (states.Contains("Halted"), "There are no halted VMs in this appliance."),
                "clean_shutdown" => (states.Contains("Running"), "There are no running VMs in this appliance."),
                _ => (states.Any(s => s != "Halted"), "All VMs in this appliance are halted."),
            };
            return applies ? null : new XenApiFailure("OPERATION_NOT_ALLOWED", reason);
        }
    }

    /// <summary>Recomputes <c>allowed_operations</c> of the appliance.</summary>
    public static void Update(PoolDatabase db, string appliance)
    {
        lock (db.SyncRoot)
        {
            db.Set("VM_appliance", appliance, "allowed_operations", All.Where(op => Check(db, appliance, op) is null).Cast<object>().ToList());
        }
    }

    /// <summary>Recomputes <c>allowed_operations</c> of the appliance <paramref name="vm"/> belongs to, if any.</summary>
    public static void UpdateOfVm(PoolDatabase db, string vm)
    {
        lock (db.SyncRoot)
        {
            var appliance = db.GetString("VM", vm, "appliance");
            if (!XapiValues.IsNull(appliance) && db.Exists(appliance, "VM_appliance"))
            {
                Update(db, appliance);
            }
        }
    }
}
