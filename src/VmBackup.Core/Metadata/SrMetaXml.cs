using System.Xml.Linq;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Metadata;

/// <summary>
/// <c>SRMETA.xml</c> as <c>xe-backup-metadata</c> writes it: <c>&lt;meta&gt;&lt;sr uuid name_label
/// name_description&gt;&lt;vdi uuid name_label name_description/&gt;…&lt;/sr&gt;&lt;/meta&gt;</c>.
/// </summary>
public static class SrMetaXml
{
    /// <summary>Writes the description of the SRs and their VDIs (snapshots left out), both keyed by reference.</summary>
    public static byte[] Write(IReadOnlyDictionary<XenRef<SrRecord>, SrRecord> srs, IReadOnlyDictionary<XenRef<VdiRecord>, VdiRecord> vdis)
    {
        ArgumentNullException.ThrowIfNull(srs);
        ArgumentNullException.ThrowIfNull(vdis);
        var bySr = vdis.Values.Where(v => !v.IsASnapshot).ToLookup(v => v.Sr);
        var meta = new XElement("meta");
        foreach (var (srRef, sr) in srs.OrderBy(s => s.Value.Uuid, StringComparer.Ordinal))
        {
            var element = new XElement("sr", new XAttribute("uuid", sr.Uuid), new XAttribute("name_label", sr.NameLabel), new XAttribute("name_description", sr.NameDescription));
            foreach (var vdi in bySr[srRef].OrderBy(v => v.Uuid, StringComparer.Ordinal))
            {
                element.Add(new XElement("vdi", new XAttribute("uuid", vdi.Uuid), new XAttribute("name_label", vdi.NameLabel), new XAttribute("name_description", vdi.NameDescription)));
            }

            meta.Add(element);
        }

        using var output = new MemoryStream();
        new XDocument(meta).Save(output);
        return output.ToArray();
    }

    /// <summary>Reads the VDI names: vdi uuid → (name_label, name_description).</summary>
    public static IReadOnlyDictionary<string, (string NameLabel, string NameDescription)> ReadVdiNames(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var stream = new MemoryStream(xml);
        var doc = XDocument.Load(stream);
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var vdi in doc.Descendants("vdi"))
        {
            if (vdi.Attribute("uuid")?.Value is { Length: > 0 } uuid)
            {
                result[uuid] = (vdi.Attribute("name_label")?.Value ?? string.Empty, vdi.Attribute("name_description")?.Value ?? string.Empty);
            }
        }

        return result;
    }

    /// <summary>Reads the SR names: sr uuid → name_label.</summary>
    public static IReadOnlyDictionary<string, string> ReadSrNames(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var stream = new MemoryStream(xml);
        var doc = XDocument.Load(stream);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sr in doc.Descendants("sr"))
        {
            if (sr.Attribute("uuid")?.Value is { Length: > 0 } uuid)
            {
                result[uuid] = sr.Attribute("name_label")?.Value ?? string.Empty;
            }
        }

        return result;
    }
}
