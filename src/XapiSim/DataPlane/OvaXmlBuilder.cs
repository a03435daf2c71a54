using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;
using XapiSim.Model;
using XapiSim.Model.Schema;

namespace XapiSim.DataPlane;

/// <summary>
/// Builds ova.xml for one or more VMs exactly as xapi's export.ml: walk the objects (VM, each VIF then its network, each
/// VBD then its VDI then the VDI's SR, VTPMs, snapshots, suspend VDI, metrics, guest metrics, resident_on and affinity
/// hosts; null references consume an id too, as in xapi), give each a <c>Ref:N</c> from the pool-wide counter, then
/// write the objects class by class (host, VM, VM_metrics, VM_guest_metrics, VBD, VIF, network, VDI, SR, ...) with the
/// per-class record rewriting of export.ml.
/// </summary>
internal sealed class OvaXmlBuilder(SimulatedPool pool, ExportOptions options)
{
    private static readonly string[] ClassOrder = ["host", "VM", "VM_metrics", "VM_guest_metrics", "VBD", "VIF", "network", "VDI", "SR", "VGPU_type", "VGPU", "GPU_group", "PVS_proxy", "PVS_site", "VTPM"];

    private readonly Dictionary<string, string> _table = new(StringComparer.Ordinal);

    /// <summary>The ova.xml ids of the exported objects, by database reference.</summary>
    public IReadOnlyDictionary<string, string> Ids => _table;

    /// <summary>Walks <paramref name="vmRef"/> (call once per VM for a multi-VM metadata export).</summary>
    public void Add(string vmRef)
    {
        lock (pool.Database.SyncRoot)
        {
            Walk(vmRef, options.IncludeSnapshots);
        }
    }

    /// <summary>The ova.xml document for everything walked so far.</summary>
    public OvaXml Build()
    {
        lock (pool.Database.SyncRoot)
        {
            var objects = new List<OvaObject>();
            foreach (var className in ClassOrder)
            {
                if (!Datamodel.Instance.Classes.ContainsKey(className) || className == "VTPM")
                {
                    continue;
                }

                foreach (var reference in pool.Database.GetAll(className))
                {
                    if (_table.TryGetValue(reference, out var id))
                    {
                        var record = new Dictionary<string, object>(pool.Database.GetRecord(className, reference), StringComparer.Ordinal);
                        Rewrite(className, record);
                        objects.Add(new OvaObject(className, id, RecordConversion.ToXmlRpc(OrderLike(className, record))));
                    }
                }
            }

            return new OvaXml(Version(pool), objects);
        }
    }

    /// <summary>The version struct of this pool's master (xapi version from <c>software_version["xapi"]</c>).</summary>
    public static OvaVersion Version(SimulatedPool pool)
    {
        var software = (IReadOnlyDictionary<string, object>)pool.Database.Get("host", pool.MasterRef, "software_version");
        string Text(string key, string fallback) => software.TryGetValue(key, out var v) && v is string s ? s : fallback;
        var xapi = Text("xapi", "24.19").Split('.');
        long Part(int i) => i < xapi.Length && long.TryParse(xapi[i], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new OvaVersion(
            pool.Database.GetString("host", pool.MasterRef, "hostname"),
            Text("date", "2024-10-01"),
            Text("product_version", "8.3.0"),
            Text("product_brand", "XCP-ng"),
            Text("build_number", "cloud"),
            Part(0),
            Part(1));
    }

    private static Dictionary<string, object> OrderLike(string className, Dictionary<string, object> record)
    {
        var ordered = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in Datamodel.Instance[className].Fields)
        {
            if (record.TryGetValue(field.Name, out var value))
            {
                ordered[field.Name] = value;
            }
        }

        return ordered;
    }

    private void Mark(string reference)
    {
        if (!_table.ContainsKey(reference))
        {
            _table[reference] = ExportIdCounter.Next(pool);
        }
    }

    private void MarkVdi(string vdi)
    {
        var db = pool.Database;
        Mark(vdi);
        if (!db.Exists(vdi, "VDI"))
        {
            return;
        }

        Mark(db.GetString("VDI", vdi, "SR"));
        if (options.IncludeVhdParents
            && db.Get("VDI", vdi, "sm_config") is IReadOnlyDictionary<string, object> sm
            && sm.TryGetValue("vhd-parent", out var parentUuid)
            && db.FindByUuid("VDI", (string)parentUuid) is { } parent
            && !_table.ContainsKey(parent))
        {
            MarkVdi(parent);
        }
    }

    private void Walk(string vm, bool includeSnapshots)
    {
        var db = pool.Database;
        if (!db.Exists(vm, "VM") || _table.ContainsKey(vm))
        {
            return;
        }

        Mark(vm);
        var record = db.GetRecord("VM", vm);
        if (!options.ExcludedDevices.Contains("vif"))
        {
            foreach (string vif in (IReadOnlyList<object>)record["VIFs"])
            {
                Mark(vif);
                Mark(db.GetString("VIF", vif, "network"));
            }
        }

        if (!options.ExcludedDevices.Contains("vbd"))
        {
            foreach (string vbd in (IReadOnlyList<object>)record["VBDs"])
            {
                Mark(vbd);
                if (!(bool)db.Get("VBD", vbd, "empty"))
                {
                    MarkVdi(db.GetString("VBD", vbd, "VDI"));
                }
            }
        }

        if (!options.ExcludedDevices.Contains("vgpu") && record.TryGetValue("VGPUs", out var vgpus))
        {
            foreach (string vgpu in (IReadOnlyList<object>)vgpus)
            {
                Mark(vgpu);
                Mark(db.GetString("VGPU", vgpu, "type"));
                Mark(db.GetString("VGPU", vgpu, "GPU_group"));
            }
        }

        if (!options.ExcludedDevices.Contains("vtpm") && record.TryGetValue("VTPMs", out var vtpms))
        {
            foreach (string vtpm in (IReadOnlyList<object>)vtpms)
            {
                Mark(vtpm);
            }
        }

        if (includeSnapshots)
        {
            foreach (string snapshot in (IReadOnlyList<object>)record["snapshots"])
            {
                Walk(snapshot, false);
            }
        }

        var suspend = (string)record["suspend_VDI"];
        if (options.PreservePowerState && (string)record["power_state"] == "Suspended" && db.Exists(suspend, "VDI"))
        {
            MarkVdi(suspend);
        }

        Mark((string)record["metrics"]);
        Mark((string)record["guest_metrics"]);
        Mark((string)record["resident_on"]);
        Mark((string)record["affinity"]);
        if (includeSnapshots && db.Exists((string)record["parent"], "VM"))
        {
            Walk((string)record["parent"], false);
        }
    }

    private string Lookup(object reference) => _table.TryGetValue((string)reference, out var id) ? id : XapiValues.NullRef;

    private List<object> Filter(object references)
        => [.. ((IReadOnlyList<object>)references).Select(Lookup).Where(id => id != XapiValues.NullRef)];

    private void Rewrite(string className, Dictionary<string, object> r)
    {
        var keep = options.PreservePowerState;
        var snapshots = options.IncludeSnapshots;
        switch (className)
        {
            case "VM":
                if (!keep)
                {
                    r["power_state"] = "Halted";
                }

                r["suspend_VDI"] = keep ? Lookup(r["suspend_VDI"]) : XapiValues.NullRef;
                if (!snapshots)
                {
                    r["is_a_snapshot"] = false;
                    r["snapshots"] = new List<object>();
                    r["snapshot_time"] = XapiValues.Epoch;
                    r["transportable_snapshot_id"] = string.Empty;
                }

                r["snapshot_of"] = snapshots ? Lookup(r["snapshot_of"]) : XapiValues.NullRef;
                r["parent"] = snapshots ? Lookup(r["parent"]) : XapiValues.NullRef;
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                r["VIFs"] = Filter(r["VIFs"]);
                r["VBDs"] = Filter(r["VBDs"]);
                SetIfPresent(r, "VGPUs", Filter);
                SetIfPresent(r, "VTPMs", Filter);
                r["crash_dumps"] = new List<object>();
                r["resident_on"] = Lookup(r["resident_on"]);
                r["affinity"] = Lookup(r["affinity"]);
                r["consoles"] = new List<object>();
                r["metrics"] = Lookup(r["metrics"]);
                r["guest_metrics"] = Lookup(r["guest_metrics"]);
                SetIfPresent(r, "protection_policy", _ => XapiValues.NullRef);
                SetIfPresent(r, "blobs", _ => new Dictionary<string, object>());
                break;
            case "VIF":
                if (!keep)
                {
                    r["currently_attached"] = false;
                }

                r["network"] = Lookup(r["network"]);
                r["VM"] = Lookup(r["VM"]);
                SetIfPresent(r, "metrics", _ => XapiValues.NullRef);
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                break;
            case "network":
                r["VIFs"] = Filter(r["VIFs"]);
                r["PIFs"] = new List<object>();
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                break;
            case "VBD":
                if (!keep)
                {
                    r["currently_attached"] = false;
                }

                r["VDI"] = Lookup(r["VDI"]);
                r["VM"] = Lookup(r["VM"]);
                SetIfPresent(r, "metrics", _ => XapiValues.NullRef);
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                break;
            case "VDI":
                r["VBDs"] = Filter(r["VBDs"]);
                r["crash_dumps"] = new List<object>();
                r["SR"] = Lookup(r["SR"]);
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                break;
            case "SR":
                r["VDIs"] = Filter(r["VDIs"]);
                r["PBDs"] = new List<object>();
                r["current_operations"] = new Dictionary<string, object>();
                r["allowed_operations"] = new List<object>();
                break;
            case "host":
                foreach (var set in new[] { "PIFs", "PBDs", "PGPUs", "PCIs", "host_CPUs", "patches", "crashdumps", "supported_bootloaders", "capabilities", "ha_statefiles", "ha_network_peers", "tags" })
                {
                    SetIfPresent(r, set, _ => new List<object>());
                }

                foreach (var map in new[] { "license_params", "blobs", "external_auth_configuration", "logging", "cpu_configuration", "other_config", "software_version" })
                {
                    SetIfPresent(r, map, _ => new Dictionary<string, object>());
                }

                SetIfPresent(r, "external_auth_type", _ => string.Empty);
                SetIfPresent(r, "external_auth_service_name", _ => string.Empty);
                SetIfPresent(r, "sched_policy", _ => string.Empty);
                SetIfPresent(r, "metrics", _ => XapiValues.NullRef);
                SetIfPresent(r, "crash_dump_sr", Lookup);
                SetIfPresent(r, "suspend_image_sr", Lookup);
                SetIfPresent(r, "resident_VMs", Filter);
                break;
        }
    }

    private static void SetIfPresent(Dictionary<string, object> record, string field, Func<object, object> value)
    {
        if (record.TryGetValue(field, out var current))
        {
            record[field] = value(current);
        }
    }
}
