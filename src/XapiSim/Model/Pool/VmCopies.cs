using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Pool;

/// <summary>
/// <c>VM.snapshot</c>, <c>VM.checkpoint</c> and <c>VM.clone</c> as XAPI does them (xapi_vm_clone.ml): a new VM record
/// copied from the source, new VBDs copying userdevice/other_config, disks snapshotted (copy-on-write) or cloned,
/// CD drives copied empty. On a shared (replicated) SR the new disks are copies in the SR's folder (see
/// <see cref="PoolObjects.CreateCopiedVdi"/>), so that they are replicated with the SR.
/// </summary>
internal static class VmCopies
{
    /// <summary>What kind of copy to make.</summary>
    public enum Kind
    {
        Snapshot,
        Checkpoint,
        Clone,
    }

    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "uuid", "allowed_operations", "current_operations", "consoles", "VIFs", "VBDs", "VUSBs", "crash_dumps", "VTPMs",
        "snapshots", "children", "VGPUs", "attached_PCIs", "metrics", "guest_metrics", "resident_on", "domid",
        "scheduled_to_be_resident_on", "blobs", "suspend_VDI",
    };

    public static string Copy(PoolObjects objects, string vmRef, string newName, IReadOnlyCollection<string> ignoreVdis, Kind kind, string? uuid = null, string? targetSr = null)
    {
        var pool = objects.Pool;
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var source = db.GetRecord("VM", vmRef);
            var powerState = (string)source["power_state"];
            var isSnapshotKind = kind != Kind.Clone;
            if ((bool)source["is_a_snapshot"] && isSnapshotKind)
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "Snapshotting a snapshot is not allowed");
            }

            if (kind == Kind.Clone && powerState != "Halted")
            {
                throw new XenApiFailure("VM_BAD_POWER_STATE", vmRef, "halted", powerState.ToLowerInvariant());
            }

            if (kind == Kind.Checkpoint && powerState != "Running")
            {
                throw new XenApiFailure("VM_BAD_POWER_STATE", vmRef, "running", powerState.ToLowerInvariant());
            }

            if ((bool)source["is_control_domain"])
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "This operation is not allowed on the control domain");
            }

            var fields = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (name, value) in source)
            {
                if (!NotCopied.Contains(name))
                {
                    fields[name] = value;
                }
            }

            var now = pool.Now;
            fields["name_label"] = newName;
            if (uuid is not null)
            {
                fields["uuid"] = uuid;
            }

            fields["power_state"] = kind == Kind.Checkpoint ? "Suspended" : "Halted";
            fields["domid"] = -1L;
            fields["resident_on"] = XapiValues.NullRef;
            fields["memory_target"] = 0L;
            if (isSnapshotKind)
            {
                fields["is_a_snapshot"] = true;
                fields["is_a_template"] = true;
                fields["snapshot_of"] = vmRef;
                fields["snapshot_time"] = now;
                fields["snapshot_info"] = new Dictionary<string, object>
                {
                    ["power-state-at-snapshot"] = powerState,
                    ["disk-snapshot-type"] = "crash_consistent",
                };
                fields["transportable_snapshot_id"] = string.Empty;
                fields["parent"] = source["parent"];
            }
            else
            {
                fields["is_a_snapshot"] = false;
                fields["snapshot_of"] = XapiValues.NullRef;
                fields["snapshot_time"] = XapiValues.Epoch;
                fields["snapshot_info"] = new Dictionary<string, object>();
                fields["parent"] = vmRef;
                fields["is_default_template"] = false;
                var otherConfig = (Dictionary<string, object>)fields["other_config"];
                otherConfig["mac_seed"] = XapiValues.NewUuid();
            }

            fields["allowed_operations"] = VmAllowedOperations.For((string)fields["power_state"], (bool)fields["is_a_template"], (bool)fields["is_a_snapshot"], false);
            fields["metrics"] = objects.CreateVmMetrics((long)source["memory_static_max"], (long)source["VCPUs_at_startup"], false);
            fields["guest_metrics"] = XapiValues.NullRef;
            var copy = db.Create("VM", fields);

            foreach (var vbdRef in db.GetStrings("VM", vmRef, "VBDs"))
            {
                var vbd = db.GetRecord("VBD", vbdRef);
                var vdi = (string)vbd["VDI"];
                var type = (string)vbd["type"];
                var newVdi = XapiValues.NullRef;
                if (type == "CD")
                {
                    newVdi = kind == Kind.Clone ? vdi : XapiValues.NullRef;
                }
                else if (!XapiValues.IsNull(vdi) && !ignoreVdis.Contains(vdi))
                {
                    newVdi = isSnapshotKind ? SnapshotVdi(objects, vdi) : CloneVdi(objects, vdi, targetSr);
                }
                else
                {
                    continue;
                }

                objects.CreateVbd(copy, newVdi, (string)vbd["userdevice"], type, (bool)vbd["bootable"], (string)vbd["mode"], false, (IReadOnlyDictionary<string, object>)vbd["other_config"]);
            }

            foreach (var vifRef in db.GetStrings("VM", vmRef, "VIFs"))
            {
                var vif = db.GetRecord("VIF", vifRef);
                objects.CreateVif(copy, (string)vif["network"], (string)vif["device"], isSnapshotKind ? (string)vif["MAC"] : null, false);
            }

            if (kind == Kind.Checkpoint)
            {
                var sr = db.GetString("pool", pool.PoolRef, "suspend_image_SR");
                if (XapiValues.IsNull(sr))
                {
                    sr = db.GetString("pool", pool.PoolRef, "default_SR");
                }

                var memory = (long)source["memory_static_max"];
                var suspend = objects.CreateEmptyVdi(sr, "Suspend image", "suspend", memory + (1L << 20));
                db.Set("VM", copy, "suspend_VDI", suspend);
            }

            return copy;
        }
    }

    /// <summary><c>VDI.snapshot</c>: a read-only-in-spirit point-in-time copy (copy-on-write, or a file in a shared SR's folder) marked as a snapshot of <paramref name="vdiRef"/>.</summary>
    public static string SnapshotVdi(PoolObjects objects, string vdiRef)
    {
        var pool = objects.Pool;
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var source = db.GetRecord("VDI", vdiRef);
            RequireNotCbtMetadata(vdiRef, source);
            return objects.CreateCopiedVdi((string)source["SR"], (string)source["name_label"], (string)source["type"], (long)source["virtual_size"], pool.DiskOf(vdiRef), new Dictionary<string, object>
            {
                ["name_description"] = source["name_description"],
                ["sharable"] = source["sharable"],
                ["read_only"] = source["read_only"],
                ["other_config"] = source["other_config"],
                ["xenstore_data"] = source["xenstore_data"],
                ["sm_config"] = source["sm_config"],
                ["tags"] = source["tags"],
                ["is_a_snapshot"] = true,
                ["snapshot_of"] = vdiRef,
                ["snapshot_time"] = pool.Now,
                ["cbt_enabled"] = source["cbt_enabled"],
                ["on_boot"] = source["on_boot"],
                ["allow_caching"] = source["allow_caching"],
            });
        }
    }

    /// <summary><c>VDI.clone</c>: a writable copy (copy-on-write, or a file in a shared SR's folder), not a snapshot; on <paramref name="targetSr"/> when given (<c>VM.copy</c>).</summary>
    public static string CloneVdi(PoolObjects objects, string vdiRef, string? targetSr = null)
    {
        var pool = objects.Pool;
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var source = db.GetRecord("VDI", vdiRef);
            RequireNotCbtMetadata(vdiRef, source);
            return objects.CreateCopiedVdi(XapiValues.IsNull(targetSr) ? (string)source["SR"] : targetSr!, (string)source["name_label"], (string)source["type"], (long)source["virtual_size"], pool.DiskOf(vdiRef), new Dictionary<string, object>
            {
                ["name_description"] = source["name_description"],
                ["sharable"] = source["sharable"],
                ["read_only"] = source["read_only"],
                ["other_config"] = source["other_config"],
                ["xenstore_data"] = source["xenstore_data"],
                ["sm_config"] = source["sm_config"],
                ["on_boot"] = source["on_boot"],
            });
        }
    }

    private static void RequireNotCbtMetadata(string vdiRef, IReadOnlyDictionary<string, object> vdi)
    {
        if ((string)vdi["type"] == "cbt_metadata")
        {
            throw new XenApiFailure("VDI_INCOMPATIBLE_TYPE", vdiRef, "cbt_metadata");
        }
    }
}
