using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Dr;

/// <summary>
/// <c>VM.recover</c> (§8.2): recreates a VM of a foreign database (a metadata VDI opened with
/// <c>VDI.open_database</c>) on the live pool, as a full-restore metadata import: the same uuid and fields,
/// halted, its VBDs on the live VDIs with the same uuids, its VIFs on the networks with the same name (else the
/// first network). Refs to other foreign objects (metrics, hosts, appliance, snapshots...) are not carried over.
/// </summary>
internal static class VmRecovery
{
    /// <summary>The SRs (refs of the foreign database) the VM's disks are on that the live pool lacks.</summary>
    public static List<string> MissingSrs(PoolDatabase source, string vm, PoolDatabase target)
    {
        var missing = new List<string>();
        foreach (var vdi in SourceVdis(source, vm))
        {
            var sr = source.GetString("VDI", vdi, "SR");
            if (!missing.Contains(sr) && (!source.Exists(sr, "SR") || target.FindByUuid("SR", source.GetString("SR", sr, "uuid")) is null))
            {
                missing.Add(sr);
            }
        }

        return missing;
    }

    public static string Recover(PoolDatabase source, string vm, SimulatedPool target, bool force)
    {
        var record = source.GetRecord("VM", vm);
        var uuid = (string)record["uuid"];
        if (MissingSrs(source, vm, target.Database) is [var sr, ..])
        {
            throw new XenApiFailure("VM_REQUIRES_SR", vm, sr);
        }

        var db = target.Database;
        var objects = new PoolObjects(target);
        lock (db.SyncRoot)
        {
            var vdis = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var vdi in SourceVdis(source, vm))
            {
                var vdiUuid = source.GetString("VDI", vdi, "uuid");
                vdis[vdi] = db.FindByUuid("VDI", vdiUuid)
                    ?? throw new XenApiFailure("VDI_MISSING", db.FindByUuid("SR", source.GetString("SR", source.GetString("VDI", vdi, "SR"), "uuid")) ?? XapiValues.NullRef, vdiUuid);
            }

            if (db.FindByUuid("VM", uuid) is { } existing)
            {
                if (!force)
                {
                    throw new XenApiFailure("DUPLICATE_VM", uuid);
                }

                foreach (var device in db.GetStrings("VM", existing, "VBDs").Concat(db.GetStrings("VM", existing, "VIFs")).ToList())
                {
                    db.Destroy(device);
                }

                db.Destroy(existing);
            }

            var fields = LocalFields("VM", record);
            fields["power_state"] = "Halted";
            fields["metrics"] = objects.CreateVmMetrics((long)record["memory_static_max"], (long)record["VCPUs_max"], running: false);
            var created = db.Create("VM", fields);

            foreach (var vbd in source.GetStrings("VM", vm, "VBDs"))
            {
                var vbdRecord = source.GetRecord("VBD", vbd);
                var vbdFields = LocalFields("VBD", vbdRecord, keepUuid: db.FindByUuid("VBD", (string)vbdRecord["uuid"]) is null);
                vbdFields["VM"] = created;
                vbdFields["VDI"] = vdis.GetValueOrDefault((string)vbdRecord["VDI"], XapiValues.NullRef);
                vbdFields["currently_attached"] = false;
                db.Create("VBD", vbdFields);
            }

            var networks = db.GetAll("network");
            foreach (var vif in source.GetStrings("VM", vm, "VIFs"))
            {
                var vifRecord = source.GetRecord("VIF", vif);
                var sourceNetwork = (string)vifRecord["network"];
                var name = source.Exists(sourceNetwork, "network") ? source.GetString("network", sourceNetwork, "name_label") : null;
                var network = (name is null ? null : db.FindByNameLabel("network", name).FirstOrDefault()) ?? networks.FirstOrDefault();
                if (network is null)
                {
                    continue;
                }

                var vifFields = LocalFields("VIF", vifRecord, keepUuid: db.FindByUuid("VIF", (string)vifRecord["uuid"]) is null);
                vifFields["VM"] = created;
                vifFields["network"] = network;
                vifFields["currently_attached"] = false;
                db.Create("VIF", vifFields);
            }

            return created;
        }
    }

    /// <summary>The VDIs (of the foreign database) of the VM's VBDs.</summary>
    private static IEnumerable<string> SourceVdis(PoolDatabase source, string vm)
        => source.GetStrings("VM", vm, "VBDs")
            .Select(vbd => source.GetString("VBD", vbd, "VDI"))
            .Where(vdi => !XapiValues.IsNull(vdi) && source.Exists(vdi, "VDI"))
            .Distinct(StringComparer.Ordinal);

    /// <summary>A foreign record's fields without what points into the foreign database (refs, sets and maps of refs).</summary>
    private static Dictionary<string, object> LocalFields(string className, IReadOnlyDictionary<string, object> record, bool keepUuid = true)
    {
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in PoolDatabase.Model[className].Fields)
        {
            if (!record.TryGetValue(field.Name, out var value) || (field.Name == "uuid" && !keepUuid))
            {
                continue;
            }

            fields[field.Name] = field.Type.Kind switch
            {
                XapiTypeKind.Ref => XapiValues.NullRef,
                XapiTypeKind.Set when field.Type.Element!.Kind == XapiTypeKind.Ref => new List<object>(),
                XapiTypeKind.Map when field.Type.Element!.Kind == XapiTypeKind.Ref || field.Type.Key!.Kind == XapiTypeKind.Ref => new Dictionary<string, object>(),
                _ => value,
            };
        }

        return fields;
    }
}
