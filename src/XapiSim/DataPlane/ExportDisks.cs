using XapiSim.Model;
using XapiSim.Model.Schema;

namespace XapiSim.DataPlane;

/// <summary>Which VDIs an XVA export streams (export.ml's <c>vdi_of_vbd</c> filter).</summary>
internal static class ExportDisks
{
    /// <summary>
    /// The VDIs of the VM's non-CD VBDs that are not in an ISO SR and have content, plus the suspend VDI when the power
    /// state is preserved and the VM is suspended; ordered by their ova.xml id (string order: <c>Ref:10</c> before <c>Ref:9</c>).
    /// </summary>
    public static IReadOnlyList<ExportDisk> For(SimulatedPool pool, string vm, IReadOnlyDictionary<string, string> ids, bool preservePowerState)
    {
        var db = pool.Database;
        var vdis = new List<string>();
        lock (db.SyncRoot)
        {
            foreach (var vbd in db.GetStrings("VM", vm, "VBDs"))
            {
                var vdi = db.GetString("VBD", vbd, "VDI");
                if (db.GetString("VBD", vbd, "type") == "CD" || !db.Exists(vdi, "VDI"))
                {
                    continue;
                }

                vdis.Add(vdi);
            }

            var suspend = db.GetString("VM", vm, "suspend_VDI");
            if (preservePowerState && db.GetString("VM", vm, "power_state") == "Suspended" && db.Exists(suspend, "VDI"))
            {
                vdis.Add(suspend);
            }

            var result = new List<ExportDisk>();
            foreach (var vdi in vdis.Distinct())
            {
                var sr = db.GetString("VDI", vdi, "SR");
                if (db.GetString("SR", sr, "content_type") == "iso" || pool.DiskOf(vdi) is not { } disk || !ids.TryGetValue(vdi, out var id))
                {
                    continue;
                }

                result.Add(new ExportDisk(id, vdi, disk, (long)db.Get("VDI", vdi, "virtual_size")));
            }

            return [.. result.OrderBy(d => d.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>The SRs of the disks (for the 302 check).</summary>
    public static IEnumerable<string> Srs(SimulatedPool pool, IEnumerable<ExportDisk> disks)
        => disks.Select(d => pool.Database.GetString("VDI", d.VdiRef, "SR")).Distinct(StringComparer.Ordinal).Where(sr => !XapiValues.IsNull(sr));
}
