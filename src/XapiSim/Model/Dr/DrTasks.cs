using System.Xml;
using System.Xml.Linq;
using XapiSim.Model.Schema;
using XapiSim.Model.Sr;
using XapiSim.Rpc;

namespace XapiSim.Model.Dr;

/// <summary>
/// <c>DR_task.create</c> and <c>DR_task.destroy</c> as xapi_dr_task.ml does them: probe the target for SR metadata,
/// introduce and plug on every host (master first) the whitelisted SRs the pool does not know yet, each with
/// <c>introduced_by</c> = the task; destroying the task unplugs and forgets the SRs still introduced by it
/// (<c>DR_task.introduced_SRs</c> is the other side of <c>SR.introduced_by</c>).
/// </summary>
internal static class DrTasks
{
    public static string Create(SimulatedPool pool, string type, IReadOnlyDictionary<string, string> deviceConfig, IReadOnlyList<string> whitelist)
    {
        if (!SmBackend.IsKnownDriver(type.ToLowerInvariant()))
        {
            // xapi's Sm.features_of_driver raises an OCaml exception that reaches the client as an internal error.
            throw new XenApiFailure("INTERNAL_ERROR", $"Sm.Unknown_driver(\"{type.ToLowerInvariant()}\")");
        }

        if (!SmBackend.SupportsMetadata(type.ToLowerInvariant()))
        {
            throw new XenApiFailure("OPERATION_NOT_ALLOWED", "Disaster recovery not supported on SRs of type " + type);
        }

        var probe = StorageProbe.Probe(pool, deviceConfig, type.ToLowerInvariant(), new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata"] = "true" });
        var records = ParseProbe(probe).Where(r => whitelist.Contains(r.Uuid, StringComparer.Ordinal)).ToList();
        var db = pool.Database;
        var task = db.Create("DR_task", new Dictionary<string, object> { ["uuid"] = XapiValues.NewUuid() });
        foreach (var record in records)
        {
            if (db.FindByUuid("SR", record.Uuid) is not null)
            {
                // Already introduced (by hand or by another DR_task): left alone.
                continue;
            }

            Attach(pool, type, deviceConfig, task, record);
        }

        return task;
    }

    public static void Destroy(SimulatedPool pool, string task)
    {
        var db = pool.Database;
        db.Require("DR_task", task);
        foreach (var sr in db.GetStrings("DR_task", task, "introduced_SRs"))
        {
            foreach (var pbd in AttachedPbdsMasterLast(pool, sr))
            {
                SrOperations.Unplug(pool, pbd);
            }

            SrOperations.Forget(pool, sr);
        }

        db.Destroy(task);
    }

    private static void Attach(SimulatedPool pool, string type, IReadOnlyDictionary<string, string> deviceConfig, string task, (string Uuid, string NameLabel, string NameDescription) record)
    {
        var db = pool.Database;
        var sr = SrOperations.Introduce(pool, record.Uuid, record.NameLabel, record.NameDescription, type, string.Empty, true, new Dictionary<string, object>());
        try
        {
            var config = deviceConfig.ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);
            foreach (var host in db.GetAll("host").OrderBy(h => h != pool.MasterRef))
            {
                var pbd = SrOperations.CreatePbd(pool, host, sr, config, new Dictionary<string, object>());
                SrOperations.Plug(pool, pbd);
            }

            db.Set("SR", sr, "introduced_by", task);
        }
        catch (XenApiFailure)
        {
            foreach (var pbd in AttachedPbdsMasterLast(pool, sr))
            {
                SrOperations.Unplug(pool, pbd);
            }

            SrOperations.Forget(pool, sr);
            throw;
        }
    }

    /// <summary>The SR's attached PBDs, the master's last (xapi's <c>get_pbds ~attached:true ~master_pos:`Last</c>).</summary>
    private static List<string> AttachedPbdsMasterLast(SimulatedPool pool, string sr)
    {
        var db = pool.Database;
        return [.. db.GetStrings("SR", sr, "PBDs")
            .Where(p => (bool)db.Get("PBD", p, "currently_attached"))
            .OrderBy(p => db.GetString("PBD", p, "host") == pool.MasterRef)];
    }

    /// <summary>The SRs of a metadata probe answer; <c>INTERNAL_ERROR</c> as xapi reports a malformed one.</summary>
    private static List<(string Uuid, string NameLabel, string NameDescription)> ParseProbe(string xml)
    {
        try
        {
            var root = XDocument.Parse(xml).Root;
            if (root?.Name.LocalName != "SRlist")
            {
                throw new FormatException("Missing <SRlist> element");
            }

            return [.. root.Elements().Select(sr => sr.Name.LocalName != "SR"
                ? throw new FormatException("Malformed or missing <SR>")
                : (Value(sr, "UUID"), Value(sr, "name_label"), Value(sr, "name_description")))];
        }
        catch (Exception exception) when (exception is FormatException or XmlException)
        {
            throw new XenApiFailure("INTERNAL_ERROR", "SR probe response was malformed: " + exception.Message);
        }
    }

    private static string Value(XElement sr, string name)
        => sr.Element(name)?.Value.Trim() ?? throw new FormatException("Missing " + name);
}
