using System.Text;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Metadata;

/// <summary>
/// The by-SR index of a metadata backup (what <c>link-vms-by-sr.py</c> writes for <c>xe-backup-metadata</c>): SR uuid →
/// the uuids of the VMs with a disk on it. In a folder it is kept as relative symlinks
/// <c>by-sr/&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta -&gt; ../../all/&lt;vm_uuid&gt;.vmmeta</c>; in the SR's archive as the
/// entry <c>&lt;date&gt;/by-sr.index</c>, one line <c>&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta</c> per link (the symlinks'
/// paths below <c>by-sr/</c>). Backups written before the index have none (<see cref="MetadataSet.BySr"/> is null).
/// </summary>
public static class MetadataBySr
{
    /// <summary>
    /// The index of <paramref name="vms"/> by <c>link-vms-by-sr.py</c>'s rules: every VM backed up (no control domain,
    /// snapshot or default template) is listed under the SR of each VDI its VBDs hold (CD and ISO SRs included; empty
    /// drives and VBDs, VDIs or SRs that no longer exist are skipped). A VM without disks is under no SR.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Compute(
        IReadOnlyDictionary<XenRef<VmRecord>, VmRecord> vms,
        IReadOnlyDictionary<XenRef<VbdRecord>, VbdRecord> vbds,
        IReadOnlyDictionary<XenRef<VdiRecord>, VdiRecord> vdis,
        IReadOnlyDictionary<XenRef<SrRecord>, SrRecord> srs)
    {
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(vbds);
        ArgumentNullException.ThrowIfNull(vdis);
        ArgumentNullException.ThrowIfNull(srs);
        var index = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var vm in vms.Values.Where(MetadataBackupService.IsBackedUp))
        {
            foreach (var vbdRef in vm.Vbds)
            {
                if (vbds.TryGetValue(vbdRef, out var vbd) && !vbd.Vdi.IsNull && vdis.TryGetValue(vbd.Vdi, out var vdi) && srs.TryGetValue(vdi.Sr, out var sr))
                {
                    if (!index.TryGetValue(sr.Uuid, out var list))
                    {
                        index[sr.Uuid] = list = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    list.Add(vm.Uuid);
                }
            }
        }

        return index.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value], StringComparer.Ordinal);
    }

    /// <summary>The path of a link relative to the dated folder: <c>by-sr/&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta</c>.</summary>
    public static string LinkPath(string srUuid, string vmUuid) => MetadataFileNames.BySrFolder + "/" + srUuid + "/" + vmUuid + MetadataFileNames.VmExtension;

    /// <summary>The target of a link, relative to its folder: <c>../../all/&lt;vm_uuid&gt;.vmmeta</c>.</summary>
    public static string LinkTarget(string vmUuid) => "../../" + MetadataFileNames.VmFile(vmUuid);

    /// <summary>The archive form of <paramref name="index"/>: one line <c>&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta</c> per link.</summary>
    public static byte[] Write(IReadOnlyDictionary<string, IReadOnlyList<string>> index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var text = new StringBuilder();
        foreach (var (sr, vms) in index.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var vm in vms)
            {
                text.Append(sr).Append('/').Append(vm).Append(MetadataFileNames.VmExtension).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads the archive form (see <see cref="Write"/>), or the link paths below <c>by-sr/</c> of a folder.</summary>
    /// <exception cref="MetadataBackupException">A line is not <c>&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta</c>.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(IEnumerable<string> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var index = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var link in links.Where(l => l.Length > 0))
        {
            var slash = link.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || !link.EndsWith(MetadataFileNames.VmExtension, StringComparison.Ordinal) || link.IndexOf('/', slash + 1) >= 0
                || link.Length - slash - 1 <= MetadataFileNames.VmExtension.Length)
            {
                throw new MetadataBackupException($"damaged by-SR index: '{link}' is not <sr_uuid>/<vm_uuid>{MetadataFileNames.VmExtension}");
            }

            var sr = link[..slash];
            if (!index.TryGetValue(sr, out var list))
            {
                index[sr] = list = new SortedSet<string>(StringComparer.Ordinal);
            }

            list.Add(link[(slash + 1)..^MetadataFileNames.VmExtension.Length]);
        }

        return index.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value], StringComparer.Ordinal);
    }

    /// <summary>Reads the archive form (see <see cref="Write"/>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(byte[] archiveIndex)
    {
        ArgumentNullException.ThrowIfNull(archiveIndex);
        return Parse(Encoding.UTF8.GetString(archiveIndex).Split('\n'));
    }
}
