using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Storage;

namespace XapiSim.Model.Sr;

/// <summary>
/// What an SR scan does for an SR kept in a shared-storage folder: a VDI record (same uuid, size, names and type as
/// the sidecar, and for a snapshot <c>is_a_snapshot</c>, <c>snapshot_time</c> and <c>snapshot_of</c> when the pool
/// knows the VDI it was taken of) for every VDI of the folder the pool does not know yet, and the records of VDIs
/// whose files are gone forgotten. Used at pool start, by <c>PBD.plug</c> and by <c>SR.scan</c>.
/// </summary>
internal static class SharedVdiScan
{
    /// <summary>Introduces the folder's VDIs not yet in the database. Returns them with their new refs.</summary>
    /// <exception cref="IOException">The folder cannot be read.</exception>
    public static IReadOnlyList<(SharedVdiInfo Info, string VdiRef)> IntroduceNew(PoolObjects objects, string srRef, string folder)
    {
        var pool = objects.Pool;
        var store = pool.Disks as ISharedDiskStore ?? throw new InvalidOperationException("The pool's disk store cannot hold shared-SR disks.");
        var introduced = new List<(SharedVdiInfo, string)>();
        lock (pool.Database.SyncRoot)
        {
            foreach (var info in SharedVdiInfo.List(folder))
            {
                if (pool.Database.FindByUuid("VDI", info.Uuid) is not null)
                {
                    continue;
                }

                var diskId = store.AttachShared(folder, info.Uuid);
                var values = new Dictionary<string, object>
                {
                    ["uuid"] = info.Uuid,
                    ["name_description"] = info.NameDescription,
                };
                if (info.IsASnapshot)
                {
                    values["is_a_snapshot"] = true;
                    values["snapshot_time"] = info.SnapshotTime ?? XapiValues.Epoch;
                }

                introduced.Add((info, objects.CreateVdi(srRef, info.NameLabel, info.Type, info.VirtualSize, diskId, values)));
            }

            // After the loop: a snapshot may sort before the VDI it was taken of.
            foreach (var (info, vdi) in introduced)
            {
                if (info.SnapshotOf is { } of && pool.Database.FindByUuid("VDI", of) is { } original)
                {
                    pool.Database.Set("VDI", vdi, "snapshot_of", original);
                }
            }
        }

        return introduced;
    }

    /// <summary>Forgets (record only) the shared VDIs of <paramref name="srRef"/> whose files left <paramref name="folder"/>. Returns their refs.</summary>
    public static IReadOnlyList<string> ForgetVanished(SimulatedPool pool, string srRef, string folder)
    {
        var db = pool.Database;
        var forgotten = new List<string>();
        lock (db.SyncRoot)
        {
            foreach (var vdi in db.GetStrings("SR", srRef, "VDIs"))
            {
                var uuid = db.GetString("VDI", vdi, "uuid");
                if (pool.DiskOf(vdi) is { } id && pool.Disks is ISharedDiskStore store && store.IsShared(id)
                    && !(File.Exists(SharedVdiInfo.DataPath(folder, uuid)) && File.Exists(SharedVdiInfo.SidecarPath(folder, uuid))))
                {
                    pool.ForgetDisk(vdi);
                    db.Destroy(vdi);
                    forgotten.Add(vdi);
                }
            }
        }

        return forgotten;
    }
}
