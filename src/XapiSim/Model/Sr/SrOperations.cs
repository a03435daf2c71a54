using XapiSim.Model.Dr;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;
using XapiSim.Storage;

namespace XapiSim.Model.Sr;

/// <summary>
/// The SR and PBD lifecycle of xapi_sr.ml / xapi_pbd.ml over the pool's storage targets: <c>SR.introduce</c>,
/// <c>PBD.create</c>/<c>plug</c>/<c>unplug</c>/<c>destroy</c>, <c>SR.forget</c> and <c>SR.scan</c>. Plugging the
/// master's PBD of an SR whose device_config names a storage target attaches that target's folder and scans it;
/// forgetting an SR forgets its records and never deletes files.
/// </summary>
internal static class SrOperations
{
    /// <summary>The size an SR attached from a storage target reports (a LUN's size is not modelled).</summary>
    public const long TargetSize = 2L << 40;

    private static readonly List<object> AllowedOperations =
        ["forget", "vdi_create", "vdi_snapshot", "plug", "update", "destroy", "vdi_destroy", "scan", "vdi_clone", "vdi_resize", "unplug", "vdi_enable_cbt", "vdi_list_changed_blocks", "vdi_disable_cbt", "vdi_data_destroy"];

    /// <summary><c>SR.introduce</c>: an SR record without PBDs; <c>SR_UUID_EXISTS [uuid]</c> if the uuid is taken.</summary>
    public static string Introduce(SimulatedPool pool, string uuid, string nameLabel, string nameDescription, string type, string contentType, bool shared, IReadOnlyDictionary<string, object> smConfig)
    {
        var db = pool.Database;
        uuid = uuid.Length == 0 ? XapiValues.NewUuid() : uuid;
        lock (db.SyncRoot)
        {
            if (db.FindByUuid("SR", uuid) is not null)
            {
                throw new XenApiFailure("SR_UUID_EXISTS", uuid);
            }

            var sr = db.Create("SR", new Dictionary<string, object>
            {
                ["uuid"] = uuid,
                ["name_label"] = nameLabel,
                ["name_description"] = nameDescription,
                ["allowed_operations"] = AllowedOperations,
                ["virtual_allocation"] = 0L,
                ["physical_utilisation"] = -1L,
                ["physical_size"] = -1L,
                ["content_type"] = contentType,
                ["type"] = type.ToLowerInvariant(),
                ["shared"] = shared,
                ["sm_config"] = XapiValues.Copy(smConfig),
                ["introduced_by"] = XapiValues.NullRef,
                ["local_cache_enabled"] = false,
                ["clustered"] = false,
                ["is_tools_sr"] = false,
            });
            StorageState.For(pool).MarkIntroduced(sr);
            return sr;
        }
    }

    /// <summary><c>PBD.create</c>: an unplugged PBD; <c>PBD_EXISTS [sr, host, pbd]</c> if the host already has one for the SR.</summary>
    public static string CreatePbd(SimulatedPool pool, string host, string sr, IReadOnlyDictionary<string, object> deviceConfig, IReadOnlyDictionary<string, object> otherConfig)
    {
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            db.Require("host", host);
            db.Require("SR", sr);
            if (db.GetStrings("SR", sr, "PBDs").FirstOrDefault(p => db.GetString("PBD", p, "host") == host) is { } existing)
            {
                throw new XenApiFailure("PBD_EXISTS", sr, host, existing);
            }

            if (deviceConfig.TryGetValue("SRmaster", out var srMaster))
            {
                throw new XenApiFailure("VALUE_NOT_SUPPORTED", "SRmaster", srMaster as string ?? string.Empty, "This key is for internal use only");
            }

            return db.Create("PBD", new Dictionary<string, object>
            {
                ["host"] = host,
                ["SR"] = sr,
                ["device_config"] = XapiValues.Copy(deviceConfig),
                ["other_config"] = XapiValues.Copy(otherConfig),
                ["currently_attached"] = false,
            });
        }
    }

    /// <summary>
    /// <c>PBD.plug</c>. An SR made by <c>SR.introduce</c> attaches only if the PBD's device_config names a storage
    /// target of the SR's type whose folder records this SR (else SM's error); plugging the master's PBD of a
    /// folder-backed SR scans the folder and handles its metadata VDIs.
    /// </summary>
    public static void Plug(SimulatedPool pool, string pbd)
    {
        var db = pool.Database;
        db.Require("PBD", pbd);
        if ((bool)db.Get("PBD", pbd, "currently_attached"))
        {
            return;
        }

        var sr = db.GetString("PBD", pbd, "SR");
        var folder = StorageState.For(pool).IsIntroduced(sr)
            ? TargetFolder(pool, sr, SmBackend.Strings((IReadOnlyDictionary<string, object>)db.Get("PBD", pbd, "device_config")))
            : pool.SharedStorageOf(sr);

        if (db.GetString("PBD", pbd, "host") == pool.MasterRef && folder is not null)
        {
            pool.MapSharedStorage(sr, folder);
            ScanFolder(pool, sr, folder);
            if ((long)db.Get("SR", sr, "physical_size") < 0)
            {
                db.Set("SR", sr, "physical_size", TargetSize);
            }
        }

        db.Set("PBD", pbd, "currently_attached", true);
        if (db.GetString("PBD", pbd, "host") == pool.MasterRef && folder is not null && (bool)db.Get("SR", sr, "shared"))
        {
            MetadataVdis.Refresh(pool, sr, plugged: true);
        }
    }

    /// <summary><c>PBD.unplug</c>: <c>VDI_IN_USE [vdis]</c> while VMs on the PBD's host have non-metadata VDIs of the SR attached.</summary>
    public static void Unplug(SimulatedPool pool, string pbd)
    {
        var db = pool.Database;
        db.Require("PBD", pbd);
        if (!(bool)db.Get("PBD", pbd, "currently_attached"))
        {
            return;
        }

        var sr = db.GetString("PBD", pbd, "SR");
        var host = db.GetString("PBD", pbd, "host");
        lock (db.SyncRoot)
        {
            var inUse = db.Where("VM", vm => (string)vm["resident_on"] == host)
                .SelectMany(vm => db.GetStrings("VM", vm, "VBDs"))
                .Where(vbd => (bool)db.Get("VBD", vbd, "currently_attached") && !(bool)db.Get("VBD", vbd, "empty"))
                .Select(vbd => db.GetString("VBD", vbd, "VDI"))
                .Where(vdi => db.Exists(vdi, "VDI") && db.GetString("VDI", vdi, "SR") == sr && db.GetString("VDI", vdi, "type") != "metadata")
                .ToArray();
            if (inUse.Length > 0)
            {
                throw new XenApiFailure("VDI_IN_USE", inUse);
            }
        }

        if (host == pool.MasterRef)
        {
            MetadataVdis.Unplugged(pool, sr);
        }

        db.Set("PBD", pbd, "currently_attached", false);
    }

    /// <summary><c>PBD.destroy</c>: <c>OPERATION_NOT_ALLOWED ["PBD is currently attached"]</c> for a plugged PBD.</summary>
    public static void DestroyPbd(SimulatedPool pool, string pbd)
    {
        var db = pool.Database;
        db.Require("PBD", pbd);
        if ((bool)db.Get("PBD", pbd, "currently_attached"))
        {
            throw new XenApiFailure("OPERATION_NOT_ALLOWED", "PBD is currently attached");
        }

        db.Destroy(pbd);
    }

    /// <summary>
    /// <c>SR.forget</c>: <c>SR_HAS_PBD [sr]</c> while a PBD is attached; otherwise destroys the SR's PBD and VDI records
    /// and the SR record. The VDIs' content (the folder's files, private disks) is kept.
    /// </summary>
    public static void Forget(SimulatedPool pool, string sr)
    {
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            db.Require("SR", sr);
            var pbds = db.GetStrings("SR", sr, "PBDs");
            if (pbds.Any(p => (bool)db.Get("PBD", p, "currently_attached")))
            {
                throw new XenApiFailure("SR_HAS_PBD", sr);
            }

            DrState.For(pool).StopReplication(sr);
            foreach (var pbd in pbds)
            {
                db.Destroy(pbd);
            }

            foreach (var vdi in db.GetStrings("SR", sr, "VDIs"))
            {
                pool.ForgetDisk(vdi);
                db.Destroy(vdi);
            }

            db.Destroy(sr);
            pool.UnmapSharedStorage(sr);
            StorageState.For(pool).Forget(sr);
        }
    }

    /// <summary>
    /// <c>SR.scan</c>: <c>SR_NO_PBDS [sr]</c> when no PBD is attached; for a folder-backed SR introduces the VDIs
    /// other pools created there, forgets those whose files are gone and recomputes the metadata VDIs; then the usage.
    /// </summary>
    public static void Scan(SimulatedPool pool, string sr)
    {
        var db = pool.Database;
        db.Require("SR", sr);
        var pbds = db.GetStrings("SR", sr, "PBDs");
        if (!pbds.Any(p => (bool)db.Get("PBD", p, "currently_attached")))
        {
            throw new XenApiFailure("SR_NO_PBDS", sr);
        }

        if (pool.SharedStorageOf(sr) is { } folder)
        {
            ScanFolder(pool, sr, folder);
            MetadataVdis.Refresh(pool, sr, plugged: false);
        }

        new PoolObjects(pool).RefreshSrUsage(sr);
    }

    private static void ScanFolder(SimulatedPool pool, string sr, string folder)
    {
        try
        {
            SharedVdiScan.ForgetVanished(pool, sr, folder);
            SharedVdiScan.IntroduceNew(new PoolObjects(pool), sr, folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw SmBackend.Failure(SmBackend.SrScan, exception.Message);
        }
    }

    /// <summary>The folder of the storage target <paramref name="deviceConfig"/> names, which must record <paramref name="sr"/>'s uuid (SM attaches the SR's volume group).</summary>
    private static string TargetFolder(SimulatedPool pool, string sr, IReadOnlyDictionary<string, string> deviceConfig)
    {
        var db = pool.Database;
        var uuid = db.GetString("SR", sr, "uuid");
        var targets = SmBackend.Resolve(pool, db.GetString("SR", sr, "type"), deviceConfig, anyLun: false);
        return targets.FirstOrDefault(t => SharedSrIdentity.TryRead(t.Folder)?.Uuid == uuid)?.Folder
            ?? throw SmBackend.Failure(SmBackend.SrUnavailable, "no such volume group: VG_XenStorage-" + uuid);
    }
}
