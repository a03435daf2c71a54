using XapiSim.Model.Database;
using XapiSim.Model.Methods;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Dr;

/// <summary>
/// The import behind <c>VM.recover</c> and <c>VM_appliance.recover</c> (xapi's <c>Xapi_dr.recover_vms</c>): the
/// <see cref="ExportSet"/> of the VMs, imported as metadata with <c>full_restore=true</c> (xapi's <c>Import</c>
/// handlers, in their order: SRs, VDIs, VMs, networks, VBDs, VIFs).
/// </summary>
/// <remarks>
/// <para>SRs and hosts are matched by uuid. A VDI is found in its SR by location (or by <c>sm_config:SCSIid</c>);
/// an ISO in any ISO SR by location, else its CD is ejected. A missing disk fails with
/// <c>VDI_LOCATION_MISSING [sr, location]</c>, or <c>VDI_CONTENT_ID_MISSING []</c> when its SR is unknown; with
/// force it is left out (and so is its VBD). A VM whose uuid exists: not halted, <c>VM_BAD_POWER_STATE [vm,
/// halted, state]</c> (force: the VM is skipped); halted with a version no older than the imported one,
/// <c>VM_TO_IMPORT_IS_NOT_NEWER_VERSION [vm, existing, imported]</c> (force: replaced); else replaced (its VIFs,
/// VBDs and itself destroyed). The new VM keeps the uuid, gets version + 1, no appliance, no protection policy, a
/// fresh generation id (templates keep theirs), power state halted (suspended when its suspend VDI was found),
/// copies of its metrics and guest metrics, and the snapshot and parent links among the imported VMs. Networks
/// are matched by name label, then bridge, else created (with <c>other_config:import_task</c>). VBDs and VIFs keep
/// their uuids (one that exists is reused), VBDs get an empty device, VIFs keep their MAC.</para>
/// <para>Every check runs before the first change, so a failed import leaves the live pool as it was (xapi
/// creates as it goes and destroys what it created on failure unless forced).</para>
/// </remarks>
internal sealed class MetadataImport
{
    private readonly PoolDatabase _source;
    private readonly SimulatedPool _target;
    private readonly PoolDatabase _db;
    private readonly bool _force;
    private readonly ExportSet _export;
    private readonly string _importTask = XapiValues.NewRef();

    /// <summary>The exported records by foreign ref, read before any change (the source may be the live pool itself).</summary>
    private readonly Dictionary<string, IReadOnlyDictionary<string, object>> _records = new(StringComparer.Ordinal);

    /// <summary>Foreign ref to live ref, like xapi's import state table.</summary>
    private readonly Dictionary<string, string> _table = new(StringComparer.Ordinal);
    private readonly List<(string Vm, VmAction Action, string? Existing)> _vms = [];
    private readonly List<string> _networksToCreate = [];
    private readonly List<(string Vbd, string Vm, string Vdi)> _vbdsToCreate = [];
    private readonly List<(string Vif, string Vm)> _vifsToCreate = [];

    private MetadataImport(PoolDatabase source, ExportSet export, SimulatedPool target, bool force)
    {
        _source = source;
        _export = export;
        _target = target;
        _db = target.Database;
        _force = force;
    }

    private enum VmAction
    {
        Create,
        Replace,
        Skip,
        DefaultTemplate,
    }

    /// <summary>Imports <paramref name="vms"/> of <paramref name="source"/> into <paramref name="target"/>.</summary>
    /// <returns>The live VMs the import created or matched (snapshots included), each once.</returns>
    public static IReadOnlyList<string> Run(PoolDatabase source, IEnumerable<string> vms, SimulatedPool target, bool force)
    {
        var import = new MetadataImport(source, ExportSet.Of(source, vms), target, force);
        lock (target.Database.SyncRoot)
        {
            lock (source.SyncRoot)
            {
                import.ReadExport();
                import.Precheck();
                return import.Apply();
            }
        }
    }

    private void ReadExport()
    {
        foreach (var (className, references) in new[] { ("VM", _export.Vms), ("VBD", _export.Vbds), ("VIF", _export.Vifs), ("VDI", _export.Vdis), ("SR", _export.Srs), ("network", _export.Networks), ("host", _export.Hosts) })
        {
            foreach (var reference in references)
            {
                var record = Record(className, reference);
                if (className == "VM")
                {
                    foreach (var (field, metricsClass) in new[] { ("metrics", "VM_metrics"), ("guest_metrics", "VM_guest_metrics") })
                    {
                        if (_source.Exists((string)record[field], metricsClass))
                        {
                            Record(metricsClass, (string)record[field]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The export's record of <paramref name="reference"/> (read once).</summary>
    private IReadOnlyDictionary<string, object> Record(string className, string reference)
    {
        if (!_records.TryGetValue(reference, out var record))
        {
            record = _source.GetRecord(className, reference);
            _records[reference] = record;
        }

        return record;
    }

    // ---- prechecks: no change to the live pool ----

    private void Precheck()
    {
        foreach (var host in _export.Hosts)
        {
            MapByUuid("host", host);
        }

        foreach (var sr in _export.Srs)
        {
            MapByUuid("SR", sr);
        }

        foreach (var vdi in _export.Vdis)
        {
            PrecheckVdi(vdi);
        }

        foreach (var vm in _export.Vms)
        {
            PrecheckVm(vm);
        }

        foreach (var network in _export.Networks)
        {
            PrecheckNetwork(network);
        }

        var replaced = _vms.Where(v => v.Action == VmAction.Replace).Select(v => v.Existing!).ToHashSet(StringComparer.Ordinal);
        foreach (var vbd in _export.Vbds)
        {
            PrecheckVbd(vbd, replaced);
        }

        foreach (var vif in _export.Vifs)
        {
            if (ExistingDevice("VIF", vif, replaced) is { } existing)
            {
                _table[vif] = existing;
            }
            else if (_table.TryGetValue((string)Record("VIF", vif)["VM"], out var vm) && _table.ContainsKey((string)Record("VIF", vif)["network"]))
            {
                _vifsToCreate.Add((vif, vm));
            }
        }
    }

    private void MapByUuid(string className, string reference)
    {
        if (_db.FindByUuid(className, (string)Record(className, reference)["uuid"]) is { } live)
        {
            _table[reference] = live;
        }
    }

    private void PrecheckVdi(string vdi)
    {
        var record = Record("VDI", vdi);
        var sr = (string)record["SR"];
        var location = (string)record["location"];
        if ((string)Record("SR", sr)["content_type"] == "iso")
        {
            var isoSrs = _db.Where("SR", r => (string)r["content_type"] == "iso" && (string)r["type"] != "udev").ToHashSet(StringComparer.Ordinal);
            if (_db.Where("VDI", r => (string)r["location"] == location && isoSrs.Contains((string)r["SR"])).FirstOrDefault() is { } iso)
            {
                _table[vdi] = iso;
            }

            return;
        }

        var found = ScsiId(record) is { } scsiId ? _db.Where("VDI", r => ScsiId(r) == scsiId).FirstOrDefault() : null;
        if (found is null && _table.TryGetValue(sr, out var liveSr))
        {
            found = _db.Where("VDI", r => (string)r["SR"] == liveSr && (string)r["location"] == location).FirstOrDefault();
        }

        if (found is not null)
        {
            _table[vdi] = found;
        }
        else if (!_force)
        {
            throw _table.TryGetValue(sr, out var missingIn)
                ? new XenApiFailure("VDI_LOCATION_MISSING", missingIn, location)
                : new XenApiFailure("VDI_CONTENT_ID_MISSING");
        }
    }

    private static string? ScsiId(IReadOnlyDictionary<string, object> vdiRecord)
        => ((IReadOnlyDictionary<string, object>)vdiRecord["sm_config"]).TryGetValue("SCSIid", out var id) ? (string)id : null;

    private void PrecheckVm(string vm)
    {
        var record = Record("VM", vm);
        var otherConfig = (IReadOnlyDictionary<string, object>)record["other_config"];
        var isDefaultTemplate = (bool)record["is_default_template"]
            || ((bool)record["is_a_template"] && otherConfig.TryGetValue("default_template", out var flag) && (string)flag == "true");
        if (isDefaultTemplate && _db.FindByNameLabel("VM", (string)record["name_label"]) is [var template, ..])
        {
            _vms.Add((vm, VmAction.DefaultTemplate, template));
            _table[vm] = template;
            return;
        }

        if (_db.FindByUuid("VM", (string)record["uuid"]) is not { } existing)
        {
            _vms.Add((vm, VmAction.Create, null));
            _table[vm] = XapiValues.NewRef();
            return;
        }

        var state = _db.GetString("VM", existing, "power_state");
        if (state != "Halted")
        {
            _vms.Add(_force ? (vm, VmAction.Skip, existing) : throw VmMethods.BadPowerState(existing, ["Halted"], state));
            return;
        }

        var existingVersion = (long)_db.Get("VM", existing, "version");
        var importedVersion = (long)record["version"];
        if (existingVersion >= importedVersion && !_force)
        {
            throw new XenApiFailure(
                "VM_TO_IMPORT_IS_NOT_NEWER_VERSION",
                existing,
                existingVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                importedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _vms.Add((vm, VmAction.Replace, existing));
        _table[vm] = XapiValues.NewRef();
    }

    private void PrecheckNetwork(string network)
    {
        var record = Record("network", network);
        var bridge = (string)record["bridge"];
        var live = _db.FindByNameLabel("network", (string)record["name_label"]).FirstOrDefault()
            ?? _db.Where("network", r => (string)r["bridge"] == bridge).FirstOrDefault();
        if (live is null)
        {
            _networksToCreate.Add(network);
            live = XapiValues.NewRef();
        }

        _table[network] = live;
    }

    private void PrecheckVbd(string vbd, HashSet<string> replaced)
    {
        if (ExistingDevice("VBD", vbd, replaced) is { } existing)
        {
            _table[vbd] = existing;
            return;
        }

        var record = Record("VBD", vbd);
        if (!_table.TryGetValue((string)record["VM"], out var vm))
        {
            return;
        }

        if (!(bool)record["empty"] && _table.TryGetValue((string)record["VDI"], out var vdi))
        {
            _vbdsToCreate.Add((vbd, vm, vdi));
        }
        else if ((string)record["type"] is "CD" or "Floppy")
        {
            _vbdsToCreate.Add((vbd, vm, XapiValues.NullRef));
        }
    }

    /// <summary>The live device with the same uuid, unless it belongs to a VM the import replaces (destroyed first).</summary>
    private string? ExistingDevice(string className, string device, HashSet<string> replaced)
        => _db.FindByUuid(className, (string)Record(className, device)["uuid"]) is { } existing && !replaced.Contains(_db.GetString(className, existing, "VM"))
            ? existing
            : null;

    // ---- the import ----

    private List<string> Apply()
    {
        var objects = new PoolObjects(_target);
        foreach (var vdi in _export.Vdis.Where(_table.ContainsKey))
        {
            SyncConfigDrive(vdi, _table[vdi]);
        }

        foreach (var (vm, action, existing) in _vms)
        {
            if (action == VmAction.Replace)
            {
                DestroyVm(existing!);
            }

            if (action is VmAction.Create or VmAction.Replace)
            {
                CreateVm(vm, _table[vm], objects);
            }
        }

        foreach (var network in _networksToCreate)
        {
            var fields = ConstructorFields("network", Record("network", network));
            fields.Remove("uuid");
            ((Dictionary<string, object>)fields["other_config"])["import_task"] = _importTask;
            _db.Create("network", fields, _table[network]);
        }

        foreach (var (vbd, vm, vdi) in _vbdsToCreate)
        {
            var record = Record("VBD", vbd);
            var fields = ConstructorFields("VBD", record);
            fields["VM"] = vm;
            fields["VDI"] = vdi;
            fields["empty"] = XapiValues.IsNull(vdi);
            fields["device"] = string.Empty;
            fields["currently_attached"] = record["currently_attached"];
            fields["allowed_operations"] = DeviceOperations((bool)record["currently_attached"]);
            _db.Create("VBD", fields);
        }

        foreach (var (vif, vm) in _vifsToCreate)
        {
            var record = Record("VIF", vif);
            var fields = ConstructorFields("VIF", record);
            fields["VM"] = vm;
            fields["network"] = _table[(string)record["network"]];
            var attached = _db.GetString("VM", vm, "power_state") != "Halted" && (bool)record["currently_attached"];
            fields["currently_attached"] = attached;
            fields["allowed_operations"] = DeviceOperations(attached);
            _db.Create("VIF", fields);
        }

        var created = _vms.Where(v => v.Action != VmAction.Skip).Select(v => _table[v.Vm]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (vm, action, _) in _vms.Where(v => v.Action is VmAction.Create or VmAction.Replace))
        {
            var live = _table[vm];
            var snapshotOf = (string)Record("VM", vm)["snapshot_of"];
            if ((bool)Record("VM", vm)["is_a_snapshot"] && !XapiValues.IsNull(snapshotOf))
            {
                _db.Set("VM", live, "snapshot_of", _table.GetValueOrDefault(snapshotOf, XapiValues.NullRef));
            }

            _db.Set("VM", live, "parent", _table.GetValueOrDefault((string)Record("VM", vm)["parent"], XapiValues.NullRef));
        }

        return created;
    }

    private void CreateVm(string vm, string reference, PoolObjects objects)
    {
        var record = Record("VM", vm);
        var fields = ConstructorFields("VM", record);
        var isTemplate = (bool)record["is_a_template"];
        var isSnapshot = (bool)record["is_a_snapshot"];
        var otherConfig = (Dictionary<string, object>)fields["other_config"];
        otherConfig.Remove("grant_api_access");
        if (!_force)
        {
            otherConfig.Remove("default_template");
        }

        otherConfig["import_task"] = _importTask;
        if (!isTemplate && (string)fields["generation_id"] != string.Empty)
        {
            fields["generation_id"] = $"{Random.Shared.NextInt64()}:{Random.Shared.NextInt64()}";
        }

        fields["version"] = (long)record["version"] + 1;
        if ((string)fields["ha_restart_priority"] is "0" or "1" or "2" or "3")
        {
            fields["order"] = long.Parse((string)fields["ha_restart_priority"], System.Globalization.CultureInfo.InvariantCulture);
            fields["ha_restart_priority"] = "restart";
        }

        var suspendVdi = _table.GetValueOrDefault((string)record["suspend_VDI"]);
        var state = (string)record["power_state"] == "Suspended" && suspendVdi is not null ? "Suspended" : "Halted";
        fields["uuid"] = record["uuid"];
        fields["power_state"] = state;
        fields["suspend_VDI"] = state == "Suspended" ? suspendVdi! : XapiValues.NullRef;
        fields["is_control_domain"] = record["is_control_domain"];
        fields["resident_on"] = _table.GetValueOrDefault((string)record["resident_on"], XapiValues.NullRef);
        fields["affinity"] = _table.GetValueOrDefault((string)record["affinity"], XapiValues.NullRef);
        fields["is_a_snapshot"] = isSnapshot;
        foreach (var copied in new[] { "last_booted_record", "last_boot_CPU_flags", "snapshot_info", "snapshot_time", "transportable_snapshot_id", "bios_strings" })
        {
            fields[copied] = record[copied];
        }

        fields["metrics"] = CopyMetrics("VM_metrics", (string)record["metrics"]) ?? objects.CreateVmMetrics((long)record["memory_static_max"], (long)record["VCPUs_max"], running: false);
        if (state == "Suspended")
        {
            _db.Set("VM_metrics", (string)fields["metrics"], "current_domain_type", record["domain_type"]);
        }

        fields["guest_metrics"] = CopyMetrics("VM_guest_metrics", (string)record["guest_metrics"]) ?? XapiValues.NullRef;
        fields["allowed_operations"] = VmAllowedOperations.For(state, isTemplate, isSnapshot, (bool)record["is_control_domain"]);
        _db.Create("VM", fields, reference);
    }

    /// <summary>The allowed operations the simulator gives a VBD or VIF (as <c>VM.start</c> and the shutdowns do).</summary>
    private static List<object> DeviceOperations(bool attached) => [attached ? "unplug" : "attach"];

    /// <summary>A live copy (new uuid) of a foreign metrics object, or null when the export has none.</summary>
    private string? CopyMetrics(string className, string metrics)
    {
        if (!_records.ContainsKey(metrics))
        {
            return null;
        }

        var fields = new Dictionary<string, object>(Record(className, metrics), StringComparer.Ordinal);
        fields.Remove("uuid");
        return _db.Create(className, fields);
    }

    /// <summary>xapi's <c>Client.VM.destroy</c> of a VM being replaced, after its VIFs and VBDs.</summary>
    private void DestroyVm(string vm)
    {
        var record = _db.GetRecord("VM", vm);
        foreach (var field in new[] { "VIFs", "VBDs", "consoles", "VTPMs", "VUSBs", "VGPUs", "crash_dumps" })
        {
            foreach (var device in (IReadOnlyList<object>)record[field])
            {
                _db.Destroy((string)device);
            }
        }

        foreach (var field in new[] { "metrics", "guest_metrics" })
        {
            if (!XapiValues.IsNull((string)record[field]))
            {
                _db.Destroy((string)record[field]);
            }
        }

        _db.Destroy(vm);
    }

    /// <summary>A found VDI takes the imported value of the keys xapi syncs (<c>other_config:config-drive</c>).</summary>
    private void SyncConfigDrive(string vdi, string live)
    {
        if ((string)Record("SR", (string)Record("VDI", vdi)["SR"])["content_type"] == "iso")
        {
            return;
        }

        var imported = (IReadOnlyDictionary<string, object>)Record("VDI", vdi)["other_config"];
        _db.Update<Dictionary<string, object>>("VDI", live, "other_config", config =>
        {
            config.Remove("config-drive");
            if (imported.TryGetValue("config-drive", out var value))
            {
                config["config-drive"] = value;
            }
        });
    }

    /// <summary>The fields <c>create_from_record</c> takes (RW and RO/constructor) without foreign refs: refs null, sets and maps of refs empty.</summary>
    private static Dictionary<string, object> ConstructorFields(string className, IReadOnlyDictionary<string, object> record)
    {
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in PoolDatabase.Model[className].Fields.Where(f => f.IsConstructorField || f.Name == "uuid"))
        {
            if (!record.TryGetValue(field.Name, out var value))
            {
                continue;
            }

            fields[field.Name] = field.Type.Kind switch
            {
                XapiTypeKind.Ref => XapiValues.NullRef,
                XapiTypeKind.Set when field.Type.Element!.Kind == XapiTypeKind.Ref => new List<object>(),
                XapiTypeKind.Map when field.Type.Element!.Kind == XapiTypeKind.Ref || field.Type.Key!.Kind == XapiTypeKind.Ref => new Dictionary<string, object>(),
                _ => XapiValues.Copy(value),
            };
        }

        return fields;
    }
}
