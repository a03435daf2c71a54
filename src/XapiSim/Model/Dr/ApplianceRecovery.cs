using XapiSim.Model.Database;
using XapiSim.Model.Pool;

namespace XapiSim.Model.Dr;

/// <summary>
/// <c>VM_appliance.recover</c> and its checks (xapi's <c>Xapi_vm_appliance</c>): the appliance of a foreign
/// database is recovered with its VMs, then re-created on the live pool with the same uuid, name and description
/// (or, if an appliance with that uuid exists, that one is emptied, renamed and reused), holding the recovered
/// VMs that are not templates (snapshots are templates).
/// </summary>
internal static class ApplianceRecovery
{
    /// <summary>Every VM of the appliance must be recoverable: the first failure's <c>VM_REQUIRES_SR [vm, sr]</c>.</summary>
    public static void AssertCanBeRecovered(PoolDatabase source, string appliance, PoolDatabase target)
    {
        foreach (var vm in source.GetStrings("VM_appliance", appliance, "VMs"))
        {
            VmRecovery.AssertCanBeRecovered(source, vm, target);
        }
    }

    /// <summary>The union of the VMs' <c>get_SRs_required_for_recovery</c> (foreign SR refs), in ref order.</summary>
    public static List<string> SrsRequiredForRecovery(PoolDatabase source, string appliance, PoolDatabase target)
        => [.. source.GetStrings("VM_appliance", appliance, "VMs")
            .SelectMany(vm => VmRecovery.SrsRequiredForRecovery(source, vm, target))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>Recovers the appliance's VMs (one import) and the appliance object; returns the live appliance.</summary>
    public static string Recover(PoolDatabase source, string appliance, SimulatedPool target, bool force)
    {
        var db = target.Database;
        lock (db.SyncRoot)
        {
            AssertCanBeRecovered(source, appliance, db);
            var old = source.GetRecord("VM_appliance", appliance);
            var recovered = VmRecovery.RecoverVms(source, source.GetStrings("VM_appliance", appliance, "VMs"), target, force);
            var live = db.FindByUuid("VM_appliance", (string)old["uuid"]);
            if (live is not null)
            {
                foreach (var vm in db.GetStrings("VM_appliance", live, "VMs"))
                {
                    db.Set("VM", vm, "appliance", Schema.XapiValues.NullRef);
                }

                db.Set("VM_appliance", live, "name_label", old["name_label"]);
                db.Set("VM_appliance", live, "name_description", old["name_description"]);
            }
            else
            {
                live = db.Create("VM_appliance", new Dictionary<string, object>
                {
                    ["uuid"] = old["uuid"],
                    ["name_label"] = old["name_label"],
                    ["name_description"] = old["name_description"],
                });
            }

            foreach (var vm in recovered.Where(vm => !(bool)db.Get("VM", vm, "is_a_template")))
            {
                db.Set("VM", vm, "appliance", live);
            }

            ApplianceOperations.Update(db, live);
            return live;
        }
    }
}
