using XapiSim.Rpc;
using XapiSim.Storage;

namespace XapiSim.Model.Methods;

/// <summary>
/// <c>VDI.set_name_label</c> and <c>VDI.set_name_description</c>: as xapi, which passes the new name to SM, a VDI of
/// a shared (replicated) SR also gets the name in its sidecar, so that a pool introducing it later sees the current name.
/// </summary>
internal static class VdiNameMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VDI.set_name_label", call => Set(call, "name_label", info => info with { NameLabel = call.Str(1) }));
        table.Add("VDI.set_name_description", call => Set(call, "name_description", info => info with { NameDescription = call.Str(1) }));
    }

    private static object Set(MethodCall call, string field, Func<SharedVdiInfo, SharedVdiInfo> rename)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var vdi = call.Str(0);
        lock (db.SyncRoot)
        {
            db.Set("VDI", vdi, field, call.Str(1));
            var uuid = db.GetString("VDI", vdi, "uuid");
            if (pool.SharedStorageOf(db.GetString("VDI", vdi, "SR")) is { } folder
                && pool.DiskOf(vdi) is { } disk && pool.Disks is ISharedDiskStore store && store.IsShared(disk)
                && SharedVdiInfo.TryRead(folder, uuid) is { } info)
            {
                rename(info).Write(folder);
            }
        }

        return RpcVoid.Instance;
    }
}
