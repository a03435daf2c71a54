using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;
using VmBackup.Formats.XmlRpc;

namespace VmBackup.Core.Restore;

/// <summary>
/// The metadata XVA (a tar holding only <c>ova.xml</c>) that <c>PUT /import_metadata?restore=true</c> turns back into
/// the VM of a vdi-export backup with its uuid, MACs and settings, cut down from the backup's <c>vm-metadata.xml</c>
/// to what the restore brings back: the VM itself (no snapshots; halted, not a template, named as restored), the VBD
/// of xvda (its VDI is mapped to the new disk with <c>vdi:&lt;uuid&gt;=</c>), the CD drives (XAPI finds the ISO in an
/// ISO SR or ejects it), the VIFs restored (network found by name) and the SRs and networks they name. The disks
/// vdi-export does not save are left out: XAPI would otherwise attach the original VDIs if they are still there, or
/// fail on them.
/// </summary>
/// <param name="Metadata">The ova.xml to import.</param>
/// <param name="XvdaVdiUuid">The uuid of xvda's VDI in <paramref name="Metadata"/> (the key of the VDI map).</param>
public sealed record PreservedVmMetadata(OvaXml Metadata, string XvdaVdiUuid)
{
    private static readonly XmlRpcValue NullRef = XmlRpcValue.FromString("OpaqueRef:NULL");

    /// <summary>
    /// Cuts <paramref name="backup"/> down for a restore of <paramref name="xvda"/> as VM <paramref name="name"/> with
    /// the VIFs of <paramref name="vifDevices"/>; null when the metadata does not describe the VM or xvda's VDI (found by
    /// <c>orig_uuid</c>, else by the VM's Disk VBD of xvda's userdevice).
    /// </summary>
    /// <param name="backup">The backup's <c>vm-metadata.xml</c>.</param>
    /// <param name="xvda">The disk the data file holds.</param>
    /// <param name="name">The restored VM's name-label.</param>
    /// <param name="vifDevices">The devices of the VIFs to restore (those whose network exists on the pool).</param>
    public static PreservedVmMetadata? From(OvaXml backup, RestoreDisk xvda, string name, IReadOnlySet<string> vifDevices)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(xvda);
        ArgumentNullException.ThrowIfNull(vifDevices);
        if (backup.Vm is not { } vm)
        {
            return null;
        }

        var vbds = backup.Vbds.Where(b => b.GetString("VM") == vm.Id).ToList();
        var xvdaVdi = backup.Vdis.FirstOrDefault(v => xvda.OriginalUuid.Length > 0 && v.GetString("uuid") == xvda.OriginalUuid)
            ?? vbds.Where(b => b.GetString("type") == "Disk" && b.GetString("userdevice") == xvda.UserDevice)
                .Select(b => backup.FindById(b.GetString("VDI") ?? string.Empty))
                .FirstOrDefault(v => v?.Class == "VDI");
        if (xvdaVdi?.GetString("uuid") is not { Length: > 0 } xvdaUuid)
        {
            return null;
        }

        var keptVbds = vbds.Where(b => b.GetString("VDI") == xvdaVdi.Id || b.GetString("type") == "CD").Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var keptVdis = new HashSet<string>(StringComparer.Ordinal) { xvdaVdi.Id };
        foreach (var cd in vbds.Where(b => b.GetString("type") == "CD"))
        {
            if (backup.FindById(cd.GetString("VDI") ?? string.Empty) is { Class: "VDI" } iso
                && backup.FindById(iso.GetString("SR") ?? string.Empty)?.GetString("content_type") == "iso")
            {
                keptVdis.Add(iso.Id);
            }
        }

        var keptVifs = backup.Vifs.Where(v => v.GetString("VM") == vm.Id && vifDevices.Contains(v.GetString("device") ?? string.Empty))
            .Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var keptSrs = backup.Vdis.Where(v => keptVdis.Contains(v.Id)).Select(v => v.GetString("SR") ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        var keptNetworks = backup.Vifs.Where(v => keptVifs.Contains(v.Id)).Select(v => v.GetString("network") ?? string.Empty).ToHashSet(StringComparer.Ordinal);

        var objects = new List<OvaObject>();
        foreach (var o in backup.Objects)
        {
            var keep = o.Class switch
            {
                "VM" => o.Id == vm.Id,
                "VBD" => keptVbds.Contains(o.Id),
                "VDI" => keptVdis.Contains(o.Id),
                "VIF" => keptVifs.Contains(o.Id),
                "SR" => keptSrs.Contains(o.Id),
                "network" => keptNetworks.Contains(o.Id),
                _ => o.GetString("VM") is not { } owner || owner == vm.Id,
            };
            if (!keep)
            {
                continue;
            }

            objects.Add(o.Class switch
            {
                "VM" => o with { Snapshot = RestoredVm(o.Snapshot, name, keptVbds, keptVifs) },
                "VBD" or "VIF" => o with { Snapshot = o.Snapshot.WithMember("currently_attached", XmlRpcValue.FromBoolean(false)) },
                _ => o,
            });
        }

        return new PreservedVmMetadata(new OvaXml(backup.Version, objects), xvdaUuid);
    }

    /// <summary>The metadata XVA: a tar of one entry, <c>ova.xml</c>, as <c>GET /export_metadata</c> sends it.</summary>
    /// <param name="mtime">The entry's modification time (Unix seconds).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<byte[]> ToTarAsync(long mtime, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var tar = new TarWriter(output);
        await tar.WriteEntryAsync(XvaChunkNames.OvaXml, Metadata.ToUtf8(), mtime, cancellationToken).ConfigureAwait(false);
        await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        return output.ToArray();
    }

    private static XmlRpcValue RestoredVm(XmlRpcValue vm, string name, HashSet<string> vbds, HashSet<string> vifs)
    {
        static XmlRpcValue Refs(XmlRpcValue vm, string field, HashSet<string> kept) =>
            XmlRpcValue.FromArray((vm[field] is { Kind: XmlRpcKind.Array } list ? list.AsStringArray() : []).Where(kept.Contains).Select(XmlRpcValue.FromString));

        return vm
            .WithMember("name_label", XmlRpcValue.FromString(name))
            .WithMember("is_a_template", XmlRpcValue.FromBoolean(false))
            .WithMember("power_state", XmlRpcValue.FromString("Halted"))
            .WithMember("suspend_VDI", NullRef)
            .WithMember("snapshots", XmlRpcValue.FromArray([]))
            .WithMember("parent", NullRef)
            .WithMember("VBDs", Refs(vm, "VBDs", vbds))
            .WithMember("VIFs", Refs(vm, "VIFs", vifs));
    }
}
