using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>VDI snapshot/clone/copy/create/destroy and Changed Block Tracking with the rules of the XAPI reference §6.</summary>
internal static class VdiMethods
{
    /// <summary>The granularity of <c>list_changed_blocks</c>: one bit per 64 KiB.</summary>
    public const int CbtBlockSize = 64 * 1024;

    public static void Register(MethodTable table)
    {
        table.Add("VDI.snapshot", call => VmCopies.SnapshotVdi(new PoolObjects(call.Pool), call.Str(0)));
        table.Add("VDI.clone", call => VmCopies.CloneVdi(new PoolObjects(call.Pool), call.Str(0)));
        table.Add("VDI.copy", call => VdiCopy.Copy(new PoolObjects(call.Pool), call.Str(0), RefOrNull(call, 1), RefOrNull(call, 2), RefOrNull(call, 3)));
        table.Add("VDI.create", Create);
        table.Add("VDI.destroy", Destroy);
        table.Add("VDI.enable_cbt", call => SetCbt(call, true));
        table.Add("VDI.disable_cbt", call => SetCbt(call, false));
        table.Add("VDI.data_destroy", DataDestroy);
        table.Add("VDI.list_changed_blocks", ListChangedBlocks);
        table.Add("VDI.get_nbd_info", call =>
        {
            call.Pool.Database.Require("VDI", call.Str(0));
            return new List<object>();
        });
    }

    /// <summary>Argument <paramref name="index"/> (a ref with a default), or NULL when the client left it out.</summary>
    private static string RefOrNull(MethodCall call, int index) => call.Args.Count > index ? call.Str(index) : XapiValues.NullRef;

    private static object Create(MethodCall call)
    {
        var pool = call.Pool;
        var fields = RecordArgument.Fields(PoolDatabase.Model["VDI"], call.Map(0));
        var type = fields.GetValueOrDefault("type") as string ?? "user";
        if (type == "cbt_metadata")
        {
            throw new XenApiFailure("VDI_INCOMPATIBLE_TYPE", string.Empty, "cbt_metadata");
        }

        var sr = fields.GetValueOrDefault("SR") as string ?? XapiValues.NullRef;
        pool.Database.Require("SR", sr);
        var size = fields.GetValueOrDefault("virtual_size") as long? ?? 0L;
        if (size < 0)
        {
            throw new XenApiFailure("FIELD_TYPE_ERROR", "virtual_size");
        }

        fields.Remove("SR");
        fields.Remove("type");
        fields.Remove("virtual_size");
        var name = fields.Remove("name_label", out var label) ? (string)label : string.Empty;
        if (name == PoolMetadataBackupVdiUuid.NameLabel && type == "user")
        {
            var derived = PoolMetadataBackupVdiUuid.For(pool.Database.GetString("SR", sr, "uuid"));
            if (pool.Database.FindByUuid("VDI", derived) is null)
            {
                fields["uuid"] = derived;
            }
        }

        return new PoolObjects(pool).CreateEmptyVdi(sr, name, type, size, fields);
    }

    private static object Destroy(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var vdi = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VDI", vdi);
            RequireNotInUse(db, vdi, record, "destroy", allowSnapshotVms: false);
            foreach (var vbd in (IReadOnlyList<object>)record["VBDs"])
            {
                db.Destroy((string)vbd);
            }

            pool.DropDisk(vdi);
            db.Destroy(vdi);
            new PoolObjects(pool).RefreshSrUsage((string)record["SR"]);
        }

        return RpcVoid.Instance;
    }

    private static object SetCbt(MethodCall call, bool enabled)
    {
        var db = call.Pool.Database;
        var vdi = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VDI", vdi);
            if ((bool)record["is_a_snapshot"])
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "VDI is a snapshot: " + vdi);
            }

            var type = (string)record["type"];
            if (type is not ("user" or "system"))
            {
                throw new XenApiFailure("VDI_INCOMPATIBLE_TYPE", vdi, type);
            }

            if ((string)record["on_boot"] == "reset")
            {
                throw new XenApiFailure("VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION");
            }

            var sr = (string)record["SR"];
            if (db.GetString("SR", sr, "type") == "iso" || call.Pool.DiskOf(vdi) is null)
            {
                throw new XenApiFailure("SR_OPERATION_NOT_SUPPORTED", sr);
            }

            db.Set("VDI", vdi, "cbt_enabled", enabled);
        }

        return RpcVoid.Instance;
    }

    private static object DataDestroy(MethodCall call)
    {
        var db = call.Pool.Database;
        var vdi = call.Str(0);
        lock (db.SyncRoot)
        {
            var record = db.GetRecord("VDI", vdi);
            if ((string)record["type"] == "cbt_metadata")
            {
                return RpcVoid.Instance;
            }

            if (!(bool)record["is_a_snapshot"])
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", "VDI is not a snapshot: " + vdi);
            }

            if (!(bool)record["cbt_enabled"])
            {
                throw new XenApiFailure("VDI_NO_CBT_METADATA", vdi);
            }

            RequireNotInUse(db, vdi, record, "data_destroy", allowSnapshotVms: true);

            // The disk stays in the store as the CBT log's reference point (list_changed_blocks still works);
            // the VDI reports no data, as XAPI's cbt_metadata VDIs do.
            db.Set("VDI", vdi, "type", "cbt_metadata");
            db.Set("VDI", vdi, "physical_utilisation", 0L);
            new PoolObjects(call.Pool).RefreshSrUsage((string)record["SR"]);
        }

        return RpcVoid.Instance;
    }

    private static object ListChangedBlocks(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var from = call.Str(0);
        var to = call.Str(1);
        bool[] changed;
        long size;
        lock (db.SyncRoot)
        {
            var fromRecord = db.GetRecord("VDI", from);
            var toRecord = db.GetRecord("VDI", to);
            if ((string)fromRecord["SR"] != (string)toRecord["SR"])
            {
                throw new XenApiFailure("SR_BACKEND_FAILURE", "VDIs are on different SRs", string.Empty, string.Empty);
            }

            foreach (var (vdi, record) in new[] { (from, fromRecord), (to, toRecord) })
            {
                if (!(bool)record["cbt_enabled"] && (string)record["type"] != "cbt_metadata")
                {
                    throw new XenApiFailure("VDI_NO_CBT_METADATA", vdi);
                }
            }

            RequireNotInUse(db, to, toRecord, "list_changed_blocks", allowSnapshotVms: true);
            var fromDisk = pool.DiskOf(from) ?? throw new XenApiFailure("VDI_MISSING", (string)fromRecord["SR"], from);
            var toDisk = pool.DiskOf(to) ?? throw new XenApiFailure("VDI_MISSING", (string)toRecord["SR"], to);
            size = (long)toRecord["virtual_size"];
            changed = pool.Disks.GetChangedBlocks(fromDisk, toDisk);
        }

        return Convert.ToBase64String(ChangedBlockBitmap.Encode(changed, size, CbtBlockSize));
    }

    /// <summary>
    /// <c>VDI_IN_USE [vdi, operation]</c> if a VBD of a running (or paused/suspended) VM uses the VDI; VBDs of
    /// snapshot VMs are ignored when <paramref name="allowSnapshotVms"/>.
    /// </summary>
    private static void RequireNotInUse(PoolDatabase db, string vdi, IReadOnlyDictionary<string, object> record, string operation, bool allowSnapshotVms)
    {
        foreach (var vbd in (IReadOnlyList<object>)record["VBDs"])
        {
            var vm = db.GetString("VBD", (string)vbd, "VM");
            if (!db.Exists(vm, "VM"))
            {
                continue;
            }

            if (allowSnapshotVms && (bool)db.Get("VM", vm, "is_a_snapshot"))
            {
                continue;
            }

            if ((bool)db.Get("VBD", (string)vbd, "currently_attached") || db.GetString("VM", vm, "power_state") != "Halted")
            {
                throw new XenApiFailure("VDI_IN_USE", vdi, operation);
            }
        }
    }
}
