using XapiSim.Model.Database;
using XapiSim.Model.Schema;

namespace XapiSim.Model.Dr;

/// <summary>
/// The objects of a foreign database that the metadata export behind <c>VM.recover</c> carries (xapi's
/// <c>Export.update_table</c> with <c>include_snapshots</c> and <c>preserve_power_state</c>): each VM with its VIFs
/// and their networks, its VBDs and the VDIs of the non-empty ones with their SRs, its snapshots (one level), the
/// suspend VDI of a suspended VM, the hosts it is resident on or has affinity to, and its parent VM. Every list
/// keeps the order in which the export met its objects.
/// </summary>
internal sealed class ExportSet
{
    private readonly PoolDatabase _source;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private ExportSet(PoolDatabase source) => _source = source;

    /// <summary>The VMs: the requested ones, their snapshots and their parents.</summary>
    public List<string> Vms { get; } = [];

    public List<string> Vbds { get; } = [];

    public List<string> Vifs { get; } = [];

    public List<string> Vdis { get; } = [];

    public List<string> Srs { get; } = [];

    public List<string> Networks { get; } = [];

    public List<string> Hosts { get; } = [];

    /// <summary>The export of <paramref name="vms"/> (refs of <paramref name="source"/>).</summary>
    public static ExportSet Of(PoolDatabase source, IEnumerable<string> vms)
    {
        var export = new ExportSet(source);
        lock (source.SyncRoot)
        {
            foreach (var vm in vms)
            {
                export.AddVm(vm, includeSnapshots: true);
            }
        }

        return export;
    }

    /// <summary>True if the export carries <paramref name="reference"/>.</summary>
    public bool Contains(string reference) => _seen.Contains(reference);

    private void AddVm(string vm, bool includeSnapshots)
    {
        if (!_source.Exists(vm, "VM") || !_seen.Add(vm))
        {
            return;
        }

        Vms.Add(vm);
        var record = _source.GetRecord("VM", vm);
        foreach (var vif in Refs(record, "VIFs").Where(v => _source.Exists(v, "VIF")))
        {
            Add(Vifs, vif);
            Add(Networks, _source.GetString("VIF", vif, "network"), "network");
        }

        foreach (var vbd in Refs(record, "VBDs").Where(v => _source.Exists(v, "VBD")))
        {
            Add(Vbds, vbd);
            if (!(bool)_source.Get("VBD", vbd, "empty"))
            {
                AddVdi(_source.GetString("VBD", vbd, "VDI"));
            }
        }

        if (includeSnapshots)
        {
            foreach (var snapshot in Refs(record, "snapshots"))
            {
                AddVm(snapshot, includeSnapshots: false);
            }
        }

        if ((string)record["power_state"] == "Suspended")
        {
            AddVdi((string)record["suspend_VDI"]);
        }

        Add(Hosts, (string)record["resident_on"], "host");
        Add(Hosts, (string)record["affinity"], "host");
        if (includeSnapshots)
        {
            AddVm((string)record["parent"], includeSnapshots: false);
        }
    }

    private void AddVdi(string vdi)
    {
        if (Add(Vdis, vdi, "VDI"))
        {
            Add(Srs, _source.GetString("VDI", vdi, "SR"), "SR");
        }
    }

    private bool Add(List<string> list, string reference, string? className = null)
    {
        if (XapiValues.IsNull(reference) || (className is not null && !_source.Exists(reference, className)) || !_seen.Add(reference))
        {
            return false;
        }

        list.Add(reference);
        return true;
    }

    private static IEnumerable<string> Refs(IReadOnlyDictionary<string, object> record, string field)
        => ((IReadOnlyList<object>)record[field]).Cast<string>();
}
