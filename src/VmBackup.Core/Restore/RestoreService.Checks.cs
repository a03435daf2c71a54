using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Restore;

/// <content>The checks made before anything is created.</content>
public sealed partial class RestoreService
{
    private async Task<(XenRef<SrRecord> Ref, SrRecord Record)> ResolveSrAsync(string? sr, CancellationToken cancellationToken)
    {
        XenRef<SrRecord> target;
        if (sr is null)
        {
            var pools = await session.Pool.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
            target = pools.Values.Select(p => p.DefaultSr).FirstOrDefault(r => !r.IsNull);
            if (target.IsNull)
            {
                throw new RestoreRefusedException("the pool has no default SR: name the target SR with --sr. Nothing was created on the pool.");
            }
        }
        else
        {
            var all = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
            var matches = all.Where(p => string.Equals(p.Value.Uuid, sr, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                matches = [.. all.Where(p => string.Equals(p.Value.NameLabel, sr, StringComparison.Ordinal))];
            }

            if (matches.Count == 0)
            {
                throw new RestoreRefusedException($"no SR named '{sr}' (or with that uuid) on the pool. Nothing was created on the pool.");
            }

            if (matches.Count > 1)
            {
                throw new RestoreRefusedException($"{matches.Count} SRs are named '{sr}': pass the uuid of one ({string.Join(", ", matches.Select(m => m.Value.Uuid))}). Nothing was created on the pool.");
            }

            target = matches[0].Key;
        }

        var record = await session.Sr.GetRecordAsync(target, cancellationToken).ConfigureAwait(false);
        if (record.ContentType == "iso" || record.Type == "iso")
        {
            throw new RestoreRefusedException($"SR '{record.NameLabel}' is an ISO library: choose an SR for virtual disks with --sr. Nothing was created on the pool.");
        }

        return (target, record);
    }

    /// <summary>Refuses name and identity conflicts (unless forced); returns the original VMs a forced preserve replaces.</summary>
    private async Task<IReadOnlyList<(XenRef<VmRecord> Ref, VmRecord Record)>> CheckConflictsAsync(RestoreSource source, RestoreOptions options, string name, List<string> notes, CancellationToken cancellationToken)
    {
        var replace = new List<(XenRef<VmRecord>, VmRecord)>();
        if (options.DiskOnly)
        {
            return replace;
        }

        var vms = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        if (options.Preserve)
        {
            var uuids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (source.XvaMetadata?.Vm?.GetString("uuid") is { Length: > 0 } xvaUuid)
            {
                uuids.Add(xvaUuid);
            }

            if (source.OriginalVmUuid is { Length: > 0 } original)
            {
                uuids.Add(original);
            }

            foreach (var (vm, record) in vms.Where(p => uuids.Contains(p.Value.Uuid) && !p.Value.IsASnapshot))
            {
                if (!options.Force)
                {
                    throw new RestoreRefusedException(
                        $"the original VM '{record.NameLabel}' ({record.Uuid}) still exists on the pool: --preserve would give the restored VM its identity (uuid and MACs). "
                        + "Restore without --preserve for a new identity, or shut the original down and add --force to replace it. Nothing was created on the pool.");
                }

                if (record.PowerState != VmPowerState.Halted)
                {
                    throw new RestoreRefusedException(
                        $"the original VM '{record.NameLabel}' ({record.Uuid}) is {record.PowerState}: shut it down before replacing it with --preserve --force. Nothing was created on the pool.");
                }

                replace.Add((vm, record));
            }

            var replaced = replace.Select(r => r.Item1.OpaqueRef).ToHashSet(StringComparer.Ordinal);
            var macs = PreservedMacs(source);
            if (macs.Count > 0)
            {
                var vifs = await session.Vif.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
                var clash = vifs.Values.Where(v => macs.Contains(v.Mac) && !replaced.Contains(v.Vm.OpaqueRef)).ToList();
                if (clash.Count > 0 && !options.Force)
                {
                    throw new RestoreRefusedException(
                        $"MAC {clash[0].Mac} of the backup is in use on the pool (VIF {clash[0].Uuid}): --preserve would duplicate it. Restore without --preserve, or add --force. Nothing was created on the pool.");
                }

                if (clash.Count > 0)
                {
                    notes.Add($"MAC {clash[0].Mac} is now used twice on the pool (--force)");
                }
            }
        }

        var sameName = vms.Where(p => p.Value.NameLabel == name && !p.Value.IsASnapshot && !p.Value.IsATemplate && !p.Value.IsControlDomain
            && !replace.Any(r => r.Item1.OpaqueRef == p.Key.OpaqueRef)).ToList();
        if (sameName.Count > 0)
        {
            if (!options.Force)
            {
                throw new RestoreRefusedException(
                    $"a VM named '{name}' already exists on the pool ({sameName[0].Value.Uuid}): choose another name with --name, or add --force to create a second VM of that name "
                    + "(NAUbackup refuses to back up VMs whose names are not unique). Nothing was created on the pool.");
            }

            notes.Add($"two VMs are now named '{name}' (--force): NAUbackup skips duplicate names");
        }

        return replace;
    }

    private static HashSet<string> PreservedMacs(RestoreSource source)
    {
        var macs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (source.XvaMetadata is { } xva)
        {
            foreach (var vif in xva.Vifs)
            {
                if (vif.GetString("MAC") is { Length: > 0 } mac)
                {
                    macs.Add(mac);
                }
            }
        }
        else
        {
            foreach (var vif in source.NetworkInterfaces)
            {
                macs.Add(vif.Mac);
            }
        }

        return macs;
    }

    /// <summary>The network of every <c>vif-N.cfg</c>, by name; a missing network is refused (or, forced, skipped).</summary>
    private async Task<IReadOnlyList<(RestoreNetworkInterface Vif, XenRef<NetworkRecord> Network)>> ResolveNetworksAsync(RestoreSource source, RestoreOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var result = new List<(RestoreNetworkInterface, XenRef<NetworkRecord>)>();
        if (source.NetworkInterfaces.Count == 0)
        {
            return result;
        }

        var networks = await session.Network.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var vif in source.NetworkInterfaces)
        {
            var match = networks.FirstOrDefault(n => n.Value.NameLabel == vif.NetworkNameLabel);
            if (match.Key.IsNull)
            {
                if (!options.Force)
                {
                    throw new RestoreRefusedException(
                        $"network '{vif.NetworkNameLabel}' of VIF {vif.Device} does not exist on this pool: create it, or add --force to restore without that VIF. Nothing was created on the pool.");
                }

                notes.Add($"VIF {vif.Device} was not created: no network '{vif.NetworkNameLabel}' (--force)");
                continue;
            }

            result.Add((vif, match.Key));
        }

        return result;
    }
}
