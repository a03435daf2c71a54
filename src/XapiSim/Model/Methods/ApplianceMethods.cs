using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// vApps (xapi's <c>Xapi_vm_appliance</c>): <c>VM_appliance.create</c>, the grouped power operations
/// <c>start</c>, <c>clean_shutdown</c>, <c>hard_shutdown</c> and <c>shutdown</c>, and <c>VM.set_appliance</c>.
/// The recovery messages are in <see cref="DrMethods"/>. Register after <see cref="VmMethods"/>: an appliance
/// operation runs the VM handlers of the table.
/// </summary>
internal static class ApplianceMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VM_appliance.create", call =>
        {
            var db = call.Pool.Database;
            var args = call.Map(0);
            lock (db.SyncRoot)
            {
                var appliance = db.Create("VM_appliance", new Dictionary<string, object>
                {
                    ["name_label"] = args.GetValueOrDefault("name_label", string.Empty),
                    ["name_description"] = args.GetValueOrDefault("name_description", string.Empty),
                });
                ApplianceOperations.Update(db, appliance);
                return appliance;
            }
        });
        table.Add("VM_appliance.start", (call, ct) =>
        {
            var paused = call.Bool(1);
            return Perform(table, call, "start", paused ? "Paused" : "Running", ascending: true, "start", [paused, false], ct);
        });
        table.Add("VM_appliance.clean_shutdown", (call, ct) => Perform(table, call, "clean_shutdown", "Halted", ascending: false, "clean_shutdown", [], ct));
        table.Add("VM_appliance.hard_shutdown", (call, ct) => Perform(table, call, "hard_shutdown", "Halted", ascending: false, "hard_shutdown", [], ct));
        table.Add("VM_appliance.shutdown", (call, ct) => Perform(table, call, "shutdown", "Halted", ascending: false, "shutdown", [], ct));
        table.Add("VM.set_appliance", SetAppliance);
    }

    /// <summary>
    /// xapi's <c>with_vm_appliance_operation</c> around <c>perform_operation</c>: the operation must be allowed;
    /// the appliance's VMs not already in <paramref name="required"/> state are grouped by <c>VM.order</c> and
    /// the groups run one after the other (ascending order to start, descending to shut down), each VM of a group
    /// through its own VM message, a group finished before the next begins. A VM that fails does not stop the
    /// others; <c>OPERATION_PARTIALLY_FAILED [VM_appliance.op, vm...]</c> names the VMs not in the required state
    /// at the end.
    /// </summary>
    private static async ValueTask<object> Perform(MethodTable table, MethodCall call, string operation, string required, bool ascending, string vmMessage, object[] extraArgs, CancellationToken cancellationToken)
    {
        var db = call.Pool.Database;
        var appliance = call.Str(0);
        var task = XapiValues.NewRef();
        lock (db.SyncRoot)
        {
            db.Require("VM_appliance", appliance);
            if (ApplianceOperations.Check(db, appliance, operation) is { } refused)
            {
                throw refused;
            }

            db.Update<Dictionary<string, object>>("VM_appliance", appliance, "current_operations", ops => ops[task] = operation);
            ApplianceOperations.Update(db, appliance);
        }

        try
        {
            List<string> targets;
            lock (db.SyncRoot)
            {
                targets = [.. db.GetStrings("VM_appliance", appliance, "VMs").Where(vm => db.GetString("VM", vm, "power_state") != required)];
            }

            var message = PoolDatabase.Model["VM"].Messages[vmMessage];
            var handler = table.Find(message.WireName) ?? throw new InvalidOperationException($"no handler for {message.WireName}");
            foreach (var group in Groups(db, targets, ascending))
            {
                foreach (var vm in group)
                {
                    try
                    {
                        await handler(call with { Message = message, Args = [vm, .. extraArgs] }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (XenApiFailure)
                    {
                        // xapi records the VM as failed and goes on; the power-state check below reports it.
                    }
                }
            }

            List<string> failed;
            lock (db.SyncRoot)
            {
                failed = [.. targets.Where(vm => !db.Exists(vm, "VM") || db.GetString("VM", vm, "power_state") != required)];
            }

            if (failed.Count > 0)
            {
                throw new XenApiFailure("OPERATION_PARTIALLY_FAILED", ["VM_appliance." + operation, .. failed]);
            }

            return RpcVoid.Instance;
        }
        finally
        {
            lock (db.SyncRoot)
            {
                if (db.Exists(appliance, "VM_appliance"))
                {
                    db.Update<Dictionary<string, object>>("VM_appliance", appliance, "current_operations", ops => ops.Remove(task));
                    ApplianceOperations.Update(db, appliance);
                }
            }
        }
    }

    /// <summary>xapi's <c>create_action_list</c>: the VMs grouped by <c>order</c>, groups ascending (or descending), each group in reverse of the VMs' order in the list.</summary>
    private static List<List<string>> Groups(PoolDatabase db, IReadOnlyList<string> vms, bool ascending)
    {
        var groups = vms.GroupBy(vm => (long)db.Get("VM", vm, "order"))
            .OrderBy(g => g.Key)
            .Select(g => g.Reverse().ToList())
            .ToList();
        if (!ascending)
        {
            groups.Reverse();
        }

        return groups;
    }

    /// <summary>
    /// <c>VM.set_appliance</c>: <c>OPERATION_NOT_ALLOWED</c> for control domains, templates and snapshots; the
    /// allowed operations of the previous and the new appliance follow.
    /// </summary>
    private static object SetAppliance(MethodCall call)
    {
        var db = call.Pool.Database;
        var vm = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VM", vm);
            if ((bool)record["is_control_domain"] || (bool)record["is_a_template"] || (bool)record["is_a_snapshot"])
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "Control domains, templates and snapshots cannot be assigned to appliances.");
            }

            var previous = (string)record["appliance"];
            db.Set("VM", vm, "appliance", call.Str(1));
            if (!XapiValues.IsNull(previous) && db.Exists(previous, "VM_appliance"))
            {
                ApplianceOperations.Update(db, previous);
            }

            ApplianceOperations.UpdateOfVm(db, vm);
        }

        return RpcVoid.Instance;
    }
}
