using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Pool;

/// <summary>
/// <c>VM.revert(snapshot)</c>: the snapshot's VM is stopped, its owned disks are replaced by copy-on-write clones of
/// the snapshot's disks, its memory and vCPU settings come back from the snapshot, and it ends Halted (Suspended with
/// a copy of the suspend image when the snapshot is a checkpoint).
/// </summary>
internal static class VmRevert
{
    private static readonly string[] RestoredFields =
    [
        "memory_static_max", "memory_dynamic_max", "memory_dynamic_min", "memory_static_min", "VCPUs_max",
        "VCPUs_at_startup", "VCPUs_params", "platform", "HVM_boot_policy", "HVM_boot_params", "name_description",
    ];

    public static object Revert(PoolObjects objects, string snapshotRef)
    {
        var pool = objects.Pool;
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var snapshot = db.GetRecord("VM", snapshotRef);
            if (!(bool)snapshot["is_a_snapshot"])
            {
                throw new XenApiFailure("VM_NOT_A_SNAPSHOT", snapshotRef);
            }

            var vm = (string)snapshot["snapshot_of"];
            if (!db.Exists(vm, "VM"))
            {
                throw new XenApiFailure("VM_REVERT_FAILED", snapshotRef, vm);
            }

            var guest = db.GetString("VM", vm, "guest_metrics");
            if (!XapiValues.IsNull(guest))
            {
                db.Destroy(guest);
            }

            foreach (var vbd in db.GetStrings("VM", vm, "VBDs"))
            {
                if (db.GetString("VBD", vbd, "type") != "Disk")
                {
                    continue;
                }

                var vdi = db.GetString("VBD", vbd, "VDI");
                var owned = ((IReadOnlyDictionary<string, object>)db.Get("VBD", vbd, "other_config")).ContainsKey("owner");
                db.Destroy(vbd);
                if (owned && db.Exists(vdi, "VDI") && db.GetStrings("VDI", vdi, "VBDs").Count == 0)
                {
                    var sr = db.GetString("VDI", vdi, "SR");
                    pool.DropDisk(vdi);
                    db.Destroy(vdi);
                    objects.RefreshSrUsage(sr);
                }
            }

            foreach (var vbd in (IReadOnlyList<object>)snapshot["VBDs"])
            {
                var record = db.GetRecord("VBD", (string)vbd);
                if ((string)record["type"] != "Disk" || XapiValues.IsNull((string)record["VDI"]))
                {
                    continue;
                }

                var clone = VmCopies.CloneVdi(objects, (string)record["VDI"]);
                objects.CreateVbd(vm, clone, (string)record["userdevice"], "Disk", (bool)record["bootable"], (string)record["mode"], false, (IReadOnlyDictionary<string, object>)record["other_config"]);
            }

            foreach (var field in RestoredFields)
            {
                db.Set("VM", vm, field, snapshot[field]);
            }

            var state = (string)snapshot["power_state"] == "Suspended" ? "Suspended" : "Halted";
            db.Set("VM", vm, "power_state", state);
            db.Set("VM", vm, "resident_on", XapiValues.NullRef);
            db.Set("VM", vm, "domid", -1L);
            db.Set("VM", vm, "guest_metrics", XapiValues.NullRef);
            db.Set("VM", vm, "allowed_operations", VmAllowedOperations.For(state, (bool)db.Get("VM", vm, "is_a_template"), false, false));
            var suspend = (string)snapshot["suspend_VDI"];
            db.Set("VM", vm, "suspend_VDI", state == "Suspended" && db.Exists(suspend, "VDI") ? VmCopies.CloneVdi(objects, suspend) : XapiValues.NullRef);
            foreach (var cls in new[] { "VBD", "VIF" })
            {
                foreach (var device in db.GetStrings("VM", vm, cls + "s"))
                {
                    db.Set(cls, device, "currently_attached", false);
                }
            }

            return RpcVoid.Instance;
        }
    }
}
