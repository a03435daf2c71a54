using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// The primary site's side of DR: <c>SR.enable/disable_database_replication</c> and the status report (which SRs carry
/// this pool's metadata, which VMs they protect, which VMs have a disk elsewhere).
/// </summary>
public sealed class DrPrimary(XenApiSession session, Action<string> report)
{
    /// <summary>Turns database replication on (<paramref name="enable"/>) or off for the SRs named (name label or uuid).</summary>
    public async Task SetReplicationAsync(IReadOnlyList<string> srNames, bool enable, CancellationToken cancellationToken)
    {
        var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in srNames)
        {
            var (srRef, sr) = Resolve(srs, name);
            await session.CallAsync(enable ? "SR.enable_database_replication" : "SR.disable_database_replication", [srRef], cancellationToken).ConfigureAwait(false);
            report($"{(enable ? "enabled" : "disabled")} database replication on SR {sr.NameLabel} ({sr.Uuid})");
        }
    }

    /// <summary>
    /// Reports the SRs holding this pool's metadata (only <paramref name="srNames"/> when given), the VMs and vApps they
    /// protect and those they do not fully cover.
    /// </summary>
    /// <returns>The number of warnings (a named SR without metadata, a VM or vApp with a disk on an SR without metadata).</returns>
    public async Task<int> StatusAsync(IReadOnlyList<string> srNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(srNames);
        var pools = await session.Pool.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var pool = pools.Count > 0 ? pools[0].OpaqueRef : string.Empty;
        var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vdis = await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vbds = await session.Vbd.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vms = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var protectedSrs = vdis.Values
            .Where(v => v.Type == VdiType.Metadata && v.MetadataOfPool.OpaqueRef == pool)
            .Select(v => v.Sr)
            .ToHashSet();
        var warnings = 0;
        if (srNames.Count > 0)
        {
            var named = srNames.Select(name => Resolve(srs, name)).ToList();
            foreach (var (srRef, sr) in named.Where(n => !protectedSrs.Contains(n.Ref)))
            {
                warnings++;
                report($"warning: SR {sr.NameLabel} ({sr.Uuid}) carries no metadata of this pool (vmbackup dr enable --sr \"{sr.NameLabel}\")");
            }

            protectedSrs.IntersectWith(named.Select(n => n.Ref));
        }

        if (protectedSrs.Count == 0)
        {
            report("no SR carries this pool's metadata (vmbackup dr enable --sr SR)");
        }

        foreach (var sr in protectedSrs)
        {
            var record = srs.TryGetValue(sr, out var r) ? r : null;
            report($"metadata on SR {record?.NameLabel ?? sr.OpaqueRef} ({record?.Uuid})");
        }

        if (protectedSrs.Count == 0)
        {
            return warnings;
        }

        var uncovered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (vmRef, vm) in vms.Where(kv => kv.Value is { IsATemplate: false, IsASnapshot: false, IsControlDomain: false }).OrderBy(kv => kv.Value.NameLabel, StringComparer.Ordinal))
        {
            var unprotected = vm.Vbds
                .Select(v => vbds.TryGetValue(v, out var vbd) ? vbd : null)
                .Where(vbd => vbd is { Type: VbdType.Disk, Empty: false } && vdis.ContainsKey(vbd.Vdi))
                .Select(vbd => vdis[vbd!.Vdi].Sr)
                .Where(sr => !protectedSrs.Contains(sr))
                .Distinct()
                .Select(sr => srs.TryGetValue(sr, out var r) ? r.NameLabel : sr.OpaqueRef)
                .ToList();
            if (unprotected.Count == 0)
            {
                report($"protected: VM {vm.NameLabel} ({vm.Uuid})");
            }
            else
            {
                warnings++;
                uncovered.Add(vmRef.OpaqueRef);
                report($"warning: VM {vm.NameLabel} ({vm.Uuid}) has a disk on SR {string.Join(", ", unprotected)}, which carries no DR metadata: that disk will not be on the secondary site");
            }
        }

        var appliances = await session.CallAsync<IReadOnlyDictionary<XenRef<VmApplianceRecord>, VmApplianceRecord>>("VM_appliance.get_all_records", [], cancellationToken).ConfigureAwait(false);
        foreach (var (_, appliance) in appliances.OrderBy(kv => kv.Value.NameLabel, StringComparer.Ordinal))
        {
            var members = appliance.Vms.Where(v => vms.ContainsKey(v)).OrderBy(v => vms[v].Order).Select(v => (v, vms[v])).ToList();
            var names = string.Join(", ", members.Select(m => m.Item2.NameLabel));
            if (members.Any(m => uncovered.Contains(m.v.OpaqueRef)))
            {
                warnings++;
                report($"warning: vApp {appliance.NameLabel} ({appliance.Uuid}) cannot be recovered whole: {string.Join(", ", members.Where(m => uncovered.Contains(m.v.OpaqueRef)).Select(m => m.Item2.NameLabel))} has a disk on an SR without DR metadata");
            }
            else
            {
                report($"protected: vApp {appliance.NameLabel} ({appliance.Uuid}): {(names.Length == 0 ? "no VM" : names)}");
            }
        }

        return warnings;
    }

    /// <summary>Finds the SR named <paramref name="name"/> (name label or uuid).</summary>
    public static (XenRef<SrRecord> Ref, SrRecord Record) Resolve(IReadOnlyDictionary<XenRef<SrRecord>, SrRecord> srs, string name)
    {
        var matches = srs.Where(kv => kv.Value.Uuid == name || kv.Value.NameLabel == name).ToList();
        return matches.Count switch
        {
            1 => (matches[0].Key, matches[0].Value),
            0 => throw new DrException($"no SR named '{name}'"),
            _ => throw new DrException($"{matches.Count} SRs are named '{name}': give the uuid"),
        };
    }
}
