using System.Xml.Linq;
using XapiSim.Storage;

namespace XapiSim.Model.Sr;

/// <summary>
/// <c>SR.probe</c> against the pool's storage targets, answering SM's XML: with <c>sm_config:metadata=true</c> (what
/// <c>DR_task.create</c> asks) the SRs recorded in the matching targets' folders
/// (<c>&lt;SRlist&gt;&lt;SR&gt;&lt;UUID/&gt;&lt;name_label/&gt;&lt;name_description/&gt;&lt;/SR&gt;…</c>), otherwise
/// the SR uuid and device of each matching LUN as the LVM drivers print them.
/// </summary>
internal static class StorageProbe
{
    public static string Probe(SimulatedPool pool, IReadOnlyDictionary<string, string> deviceConfig, string type, IReadOnlyDictionary<string, string> smConfig)
    {
        var metadata = smConfig.GetValueOrDefault("metadata") == "true";
        if (type == "lvmohba" && !metadata && !deviceConfig.ContainsKey("SCSIid") && SmBackend.IsKnownDriver(type))
        {
            // Without a SCSIid the HBA driver lists the block devices it sees.
            var devices = StorageState.For(pool).Targets.Where(t => t.Type == type).Select((t, i) => new XElement(
                "BlockDevice",
                new XElement("path", "/dev/sd" + (char)('b' + (i % 24))),
                new XElement("SCSIid", SmBackend.ScsiIdOf(t)),
                new XElement("vendor", "XapiSim"),
                new XElement("serial", SmBackend.ScsiIdOf(t)),
                new XElement("adapter", "0"),
                new XElement("channel", "0"),
                new XElement("id", "0"),
                new XElement("lun", i)));
            return SmBackend.Document(new XElement("Devlist", devices));
        }

        var targets = SmBackend.Resolve(pool, type, deviceConfig, anyLun: metadata);
        var srs = new XElement("SRlist");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            if (SharedSrIdentity.TryRead(target.Folder) is not { } identity || !seen.Add(identity.Uuid))
            {
                continue;
            }

            srs.Add(metadata
                ? new XElement("SR", new XElement("UUID", identity.Uuid), new XElement("name_label", identity.NameLabel), new XElement("name_description", identity.NameDescription))
                : new XElement("SR", new XElement("UUID", identity.Uuid), new XElement("Devlist", "/dev/disk/by-id/scsi-" + SmBackend.ScsiIdOf(target))));
        }

        return SmBackend.Document(srs);
    }
}
