using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;
using XapiSim.Model;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// Creates the database objects an ova.xml describes, as xapi's import.ml: version check, VMs (new identities unless
/// <c>restore</c>; a full restore replaces a halted VM with the same uuid when the import is newer or forced), VDIs
/// (new empty disks in the target SR for a full import; for a metadata import existing VDIs found through the VDI map,
/// by SCSIid or by location in their SR; ISO VDIs looked up by name), VBDs (uuid kept by a restore), VIFs (networks as
/// import.ml's Net handler: by name label, then by bridge, else a new network copied from the record; MAC kept by a
/// restore). A restore increments the VM's version.
/// Remembers what it created so a failed import can be undone.
/// </summary>
internal sealed class OvaImporter(SimulatedPool pool, string? targetSr, bool restore, bool force, bool metadataOnly, IReadOnlyDictionary<string, string> vdiMap)
{
    private readonly List<string> _created = [];
    private readonly Dictionary<string, string> _objects = new(StringComparer.Ordinal);
    private readonly List<(string Vm, bool IsSnapshot)> _vms = [];

    /// <summary>Every object created so far, in creation order.</summary>
    public IReadOnlyList<string> Created => _created;

    /// <summary>The new object for an ova.xml id (e.g. the VDI receiving <c>Ref:3</c>'s chunks).</summary>
    public string? Lookup(string id) => _objects.GetValueOrDefault(id);

    /// <summary>The task result: the new VMs that are not snapshots (all of them when only snapshots were imported).</summary>
    public List<object> ResultVms()
    {
        var plain = _vms.Where(v => !v.IsSnapshot).Select(v => (object)v.Vm).ToList();
        return plain.Count > 0 ? plain : [.. _vms.Select(v => (object)v.Vm)];
    }

    /// <summary>Checks the ova.xml version against this pool's (<c>IMPORT_INCOMPATIBLE_VERSION</c>).</summary>
    public void CheckVersion(OvaXml metadata)
    {
        var mine = OvaXmlBuilder.Version(pool);
        var theirs = metadata.Version;
        if (mine.XapiMajor < theirs.XapiMajor || (mine.XapiMajor == theirs.XapiMajor && mine.XapiMinor < theirs.XapiMinor))
        {
            throw new XenApiFailure("IMPORT_INCOMPATIBLE_VERSION");
        }
    }

    /// <summary>
    /// Checks what the import would do without creating anything (dry run): the version, for a restore the MAC seeds
    /// (<see cref="RestoreBackupCheck"/>), for a metadata import the VDIs.
    /// </summary>
    public void Precheck(OvaXml metadata)
    {
        CheckVersion(metadata);
        if (restore)
        {
            RestoreBackupCheck.Assert(pool, metadata);
        }

        if (metadataOnly)
        {
            foreach (var vdi in metadata.Vdis)
            {
                if (!IsIsoVdi(metadata, vdi) && FindExistingVdi(metadata, vdi) is null && !force)
                {
                    throw LiveSr(metadata, vdi) is { } sr
                        ? new XenApiFailure("VDI_LOCATION_MISSING", sr, vdi.GetString("location") ?? string.Empty)
                        : new XenApiFailure("VDI_CONTENT_ID_MISSING");
                }
            }
        }
    }

    /// <summary>Creates every object (under the database lock).</summary>
    public void CreateAll(OvaXml metadata)
    {
        Precheck(metadata);
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            foreach (var network in metadata.Networks)
            {
                _objects[network.Id] = MatchNetwork(network);
            }

            foreach (var vdi in metadata.Vdis)
            {
                if (ImportVdi(metadata, vdi) is { } created)
                {
                    _objects[vdi.Id] = created;
                }
            }

            foreach (var vm in metadata.OfClass("VM"))
            {
                if (ImportVm(vm) is { } created)
                {
                    _objects[vm.Id] = created;
                }
            }

            foreach (var vm in metadata.OfClass("VM"))
            {
                if (_objects.TryGetValue(vm.Id, out var created))
                {
                    LinkVm(vm, created);
                }
            }

            foreach (var vbd in metadata.Vbds)
            {
                if (_objects.TryGetValue(vbd.GetString("VM") ?? string.Empty, out var vm))
                {
                    var vdi = _objects.GetValueOrDefault(vbd.GetString("VDI") ?? string.Empty) ?? XapiValues.NullRef;
                    var fields = RecordConversion.ToFields("VBD", vbd.Snapshot);
                    var type = fields.GetValueOrDefault("type") as string ?? "Disk";
                    if (XapiValues.IsNull(vdi) && type != "CD")
                    {
                        continue;
                    }

                    var created = new PoolObjects(pool).CreateVbd(vm, vdi, fields.GetValueOrDefault("userdevice") as string ?? "0", type, fields.GetValueOrDefault("bootable") as bool? ?? false, fields.GetValueOrDefault("mode") as string ?? "RW", false, fields.GetValueOrDefault("other_config") as IReadOnlyDictionary<string, object>);
                    Track(created);
                    if (restore && fields.GetValueOrDefault("uuid") is string vbdUuid && db.FindByUuid("VBD", vbdUuid) is null)
                    {
                        db.Set("VBD", created, "uuid", vbdUuid);
                    }
                }
            }

            foreach (var vif in metadata.Vifs)
            {
                if (_objects.TryGetValue(vif.GetString("VM") ?? string.Empty, out var vm))
                {
                    var network = _objects.GetValueOrDefault(vif.GetString("network") ?? string.Empty) ?? FirstNetwork();
                    Track(new PoolObjects(pool).CreateVif(vm, network, vif.GetString("device") ?? "0", restore ? vif.GetString("MAC") : null, false));
                }
            }
        }
    }

    /// <summary>Destroys everything created (a failed import), disks included.</summary>
    public void Rollback()
    {
        foreach (var reference in Enumerable.Reverse(_created))
        {
            if (pool.Database.ClassOf(reference) == "VDI")
            {
                pool.DropDisk(reference);
            }

            pool.Database.Destroy(reference);
        }

        _created.Clear();
    }

    /// <summary>Refreshes the new VDIs' physical utilisation once their data is written.</summary>
    public void RefreshUsage()
    {
        var objects = new PoolObjects(pool);
        foreach (var vdi in _created.Where(r => pool.Database.ClassOf(r) == "VDI"))
        {
            if (pool.DiskOf(vdi) is { } disk)
            {
                pool.Database.Set("VDI", vdi, "physical_utilisation", pool.Disks.GetPhysicalUtilisation(disk));
                objects.RefreshSrUsage(pool.Database.GetString("VDI", vdi, "SR"));
            }
        }
    }

    private static bool IsIsoVdi(OvaXml metadata, OvaObject vdi)
        => metadata.FindById(vdi.GetString("SR") ?? string.Empty) is { } sr && sr.GetString("content_type") == "iso";

    private void Track(string reference) => _created.Add(reference);

    private string FirstNetwork() => pool.Database.GetAll("network").FirstOrDefault() ?? XapiValues.NullRef;

    /// <summary>import.ml's Net precheck: the first network with the record's name label, else with its bridge, else a new one.</summary>
    private string MatchNetwork(OvaObject network)
    {
        var db = pool.Database;
        if (network.GetString("name_label") is { } name && db.FindByNameLabel("network", name) is [var byName, ..])
        {
            return byName;
        }

        var bridge = network.GetString("bridge");
        if (db.Where("network", f => bridge is not null && f.TryGetValue("bridge", out var b) && (string)b == bridge).FirstOrDefault() is { } byBridge)
        {
            return byBridge;
        }

        // Network.create_from_record: a new network of that name, on a bridge xapi names itself.
        var bridges = db.GetAll("network").Select(n => db.GetString("network", n, "bridge")).ToHashSet(StringComparer.Ordinal);
        var next = 0;
        while (bridges.Contains($"xapi{next}"))
        {
            next++;
        }

        var created = db.Create("network", new Dictionary<string, object>
        {
            ["name_label"] = network.GetString("name_label") ?? string.Empty,
            ["name_description"] = network.GetString("name_description") ?? string.Empty,
            ["bridge"] = $"xapi{next}",
            ["MTU"] = MtuOf(network),
        });
        Track(created);
        return created;
    }

    private static long MtuOf(OvaObject network)
    {
        try
        {
            return network.Snapshot["MTU"] is null ? 1500L : network.GetInt64("MTU");
        }
        catch (FormatException)
        {
            return 1500L;
        }
    }

    private static string? ScsiId(OvaObject vdi)
        => vdi.Snapshot["sm_config"] is { Kind: XmlRpcKind.Struct } smConfig && smConfig["SCSIid"] is { Kind: XmlRpcKind.String } id ? id.Text : null;

    /// <summary>The pool's SR of a VDI of the metadata, by the SR's uuid; null when the pool has none.</summary>
    private string? LiveSr(OvaXml metadata, OvaObject vdi)
        => metadata.FindById(vdi.GetString("SR") ?? string.Empty)?.GetString("uuid") is { } uuid ? pool.Database.FindByUuid("SR", uuid) : null;

    /// <summary>
    /// xapi's VDI precheck of a metadata import: the VDI map first (keyed by the VDI's uuid, else its
    /// <c>sm_config:SCSIid</c>; the value is the uuid, else the <c>SCSIid</c>, of a VDI of the pool, never a ref), then
    /// the VDI's own <c>SCSIid</c>, then the VDI of the same location in the SR of the same uuid.
    /// </summary>
    private string? FindExistingVdi(OvaXml metadata, OvaObject vdi)
    {
        var db = pool.Database;
        var scsiId = ScsiId(vdi);
        string? ByScsiId(string id) => db.Where("VDI", r => r.TryGetValue("sm_config", out var c) && c is IReadOnlyDictionary<string, object> sm && sm.TryGetValue("SCSIid", out var v) && v as string == id).FirstOrDefault();
        var mapped = vdiMap.GetValueOrDefault(vdi.GetString("uuid") ?? string.Empty) ?? (scsiId is null ? null : vdiMap.GetValueOrDefault(scsiId));
        if (mapped is not null && (db.FindByUuid("VDI", mapped) ?? ByScsiId(mapped)) is { } byMap)
        {
            return byMap;
        }

        if (mapped is null && scsiId is not null && ByScsiId(scsiId) is { } byScsiId)
        {
            return byScsiId;
        }

        var location = vdi.GetString("location") ?? string.Empty;
        return LiveSr(metadata, vdi) is { } sr
            ? db.Where("VDI", r => r.TryGetValue("SR", out var s) && s as string == sr && r.TryGetValue("location", out var l) && l as string == location).FirstOrDefault()
            : null;
    }

    private string? ImportVdi(OvaXml metadata, OvaObject vdi)
    {
        var db = pool.Database;
        if (IsIsoVdi(metadata, vdi))
        {
            var name = vdi.GetString("name_label") ?? string.Empty;
            return db.FindByNameLabel("VDI", name).FirstOrDefault(v => db.GetString("SR", db.GetString("VDI", v, "SR"), "content_type") == "iso");
        }

        if (metadataOnly)
        {
            return FindExistingVdi(metadata, vdi);
        }

        var fields = RecordConversion.ToFields("VDI", vdi.Snapshot);
        var size = fields.GetValueOrDefault("virtual_size") as long? ?? 0L;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var key in new[] { "name_description", "other_config", "xenstore_data", "sharable", "read_only", "tags", "on_boot", "allow_caching" })
        {
            if (fields.TryGetValue(key, out var value))
            {
                values[key] = value;
            }
        }

        if (restore && fields.GetValueOrDefault("uuid") is string uuid && db.FindByUuid("VDI", uuid) is null)
        {
            values["uuid"] = uuid;
        }

        var sr = targetSr ?? throw new XenApiFailure("DEFAULT_SR_NOT_FOUND", XapiValues.NullRef);
        var created = new PoolObjects(pool).CreateEmptyVdi(sr, fields.GetValueOrDefault("name_label") as string ?? string.Empty, fields.GetValueOrDefault("type") as string ?? "user", size, values);
        Track(created);
        return created;
    }

    private string? ImportVm(OvaObject vm)
    {
        var db = pool.Database;
        var fields = RecordConversion.ToFields("VM", vm.Snapshot);
        var uuid = fields.GetValueOrDefault("uuid") as string;
        if (restore && uuid is not null && db.FindByUuid("VM", uuid) is { } existing)
        {
            var power = db.GetString("VM", existing, "power_state");
            if (power != "Halted")
            {
                if (force)
                {
                    return null;
                }

                throw new XenApiFailure("VM_BAD_POWER_STATE", existing, "halted", power.ToLowerInvariant());
            }

            var existingVersion = (long)db.Get("VM", existing, "version");
            var importVersion = fields.GetValueOrDefault("version") as long? ?? 0L;
            if (existingVersion >= importVersion && !force)
            {
                throw new XenApiFailure("VM_TO_IMPORT_IS_NOT_NEWER_VERSION", existing, existingVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), importVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            foreach (var device in db.GetStrings("VM", existing, "VBDs").Concat(db.GetStrings("VM", existing, "VIFs")))
            {
                db.Destroy(device);
            }

            db.Destroy(existing);
        }

        foreach (var drop in new[] { "VBDs", "VIFs", "snapshots", "children", "consoles", "crash_dumps", "VGPUs", "VTPMs", "VUSBs", "attached_PCIs", "allowed_operations", "current_operations", "metrics", "guest_metrics", "resident_on", "scheduled_to_be_resident_on", "affinity", "suspend_VDI", "snapshot_of", "parent", "domid", "appliance", "protection_policy", "groups", "blobs" })
        {
            fields.Remove(drop);
        }

        if (!restore)
        {
            fields.Remove("uuid");
            if (fields.GetValueOrDefault("other_config") is Dictionary<string, object> otherConfig)
            {
                otherConfig["mac_seed"] = XapiValues.NewUuid();
            }
        }

        // xapi counts restores in the version (a full restore replaces only an older version); a copy starts at 0.
        fields["version"] = restore ? (fields.GetValueOrDefault("version") as long? ?? 0L) + 1 : 0L;
        fields["power_state"] = "Halted";
        fields["is_default_template"] = force && fields.GetValueOrDefault("is_default_template") is true;
        var memory = fields.GetValueOrDefault("memory_static_max") as long? ?? (1L << 30);
        var vcpus = fields.GetValueOrDefault("VCPUs_max") as long? ?? 1L;
        var name = fields.GetValueOrDefault("name_label") as string ?? string.Empty;
        var created = new PoolObjects(pool).CreateVm(name, memory, vcpus, "Halted", fields);
        Track(created);
        if (db.GetString("VM", created, "metrics") is { } metrics && db.Exists(metrics, "VM_metrics"))
        {
            Track(metrics);
        }

        _vms.Add((created, fields.GetValueOrDefault("is_a_snapshot") is true));
        return created;
    }

    private void LinkVm(OvaObject vm, string created)
    {
        var db = pool.Database;
        foreach (var field in new[] { "snapshot_of", "parent", "suspend_VDI" })
        {
            if (vm.GetString(field) is { } id && _objects.TryGetValue(id, out var target))
            {
                db.Set("VM", created, field, target);
            }
        }
    }
}
