using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// Builds the recovery plan from the copies in a <see cref="DrMetadataCatalog"/>. When the same VM (or vApp) is found
/// in several places the most recent copy wins, as in XenCenter's wizard and xapi's import: the highest
/// <c>VM.version</c> (the number of times the VM was recovered), then the database xapi marks <c>metadata_latest</c>;
/// a copy already on this pool wins unless the metadata's is newer (or <c>--force</c>). Every check that would make
/// <c>VM.recover</c> fail (a missing SR or disk, a conflict, a VM still running on the other site for a failback) is
/// made here, before anything is created.
/// </summary>
internal sealed class DrPlanner(XenApiSession session, DrFailoverOptions options)
{
    private readonly Dictionary<DrMetadataSource, (IReadOnlyDictionary<string, VbdRecord> Vbds, IReadOnlyDictionary<string, VdiRecord> Vdis, IReadOnlyDictionary<string, SrRecord> Srs)> _foreign = [];

    /// <summary>The plan, and the names asked for (<c>--vm</c>, <c>--appliance</c>) that no metadata holds.</summary>
    public async Task<(IReadOnlyList<DrPlanItem> Items, IReadOnlyList<string> NotFound)> BuildAsync(DrMetadataCatalog catalog, CancellationToken cancellationToken)
    {
        var live = (await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false)).Values
            .Where(v => !v.IsASnapshot && !v.IsATemplate)
            .GroupBy(v => v.Uuid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var everything = options.Vms.Count == 0 && options.Appliances.Count == 0;
        var notFound = new List<string>();
        var items = new List<DrPlanItem>();

        var appliances = catalog.Appliances.GroupBy(a => a.Appliance.Uuid, StringComparer.Ordinal)
            .Select(g => (Best: g.OrderByDescending(a => a.Vms.Count == 0 ? 0 : a.Vms.Max(v => v.Vm.Version)).ThenByDescending(a => a.Source.Latest).First(), Copies: g.Count()))
            .Where(a => everything || Named(options.Appliances, a.Best.Appliance.NameLabel, a.Best.Appliance.Uuid))
            .ToList();
        notFound.AddRange(options.Appliances.Where(n => !appliances.Any(a => a.Best.Appliance.NameLabel == n || a.Best.Appliance.Uuid == n)).Select(n => "vApp " + n));
        var inAppliances = appliances.SelectMany(a => a.Best.Vms).Select(v => v.Vm.Uuid).ToHashSet(StringComparer.Ordinal);
        foreach (var (best, copies) in appliances)
        {
            items.Add(await ApplianceItemAsync(best, copies, live, cancellationToken).ConfigureAwait(false));
        }

        var vms = catalog.Vms.GroupBy(v => v.Vm.Uuid, StringComparer.Ordinal)
            .Select(g => (Best: g.OrderByDescending(v => v.Vm.Version).ThenByDescending(v => v.Source.Latest).First(), Copies: g.Count()))
            .Where(v => !inAppliances.Contains(v.Best.Vm.Uuid) && (everything || Named(options.Vms, v.Best.Vm.NameLabel, v.Best.Vm.Uuid)))
            .ToList();
        notFound.AddRange(options.Vms.Where(n => !vms.Any(v => v.Best.Vm.NameLabel == n || v.Best.Vm.Uuid == n)
            && !appliances.Any(a => a.Best.Vms.Any(v => v.Vm.NameLabel == n || v.Vm.Uuid == n))).Select(n => "VM " + n));
        foreach (var (best, copies) in vms)
        {
            var (problem, notes, lacksSr) = await CheckAsync(best, copies, live, cancellationToken).ConfigureAwait(false);
            var stays = options.Mode == DrFailoverMode.Failback && everything && lacksSr && !live.ContainsKey(best.Vm.Uuid);
            items.Add(new DrPlanItem { Vm = best, Problem = problem, Notes = notes, StaysAtSource = stays });
        }

        return (items, notFound);
    }

    private static bool Named(IReadOnlyList<string> names, string nameLabel, string uuid) => names.Contains(nameLabel) || names.Contains(uuid);

    private async Task<DrPlanItem> ApplianceItemAsync(DrApplianceCopy appliance, int copies, Dictionary<string, VmRecord> live, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (copies > 1)
        {
            notes.Add($"{copies} copies found; using {appliance.Source.Describe()}");
        }

        if (appliance.Vms.Count == 0)
        {
            return new DrPlanItem { Appliance = appliance, Problem = "it has no VM", Notes = notes };
        }

        foreach (var member in appliance.Vms)
        {
            var (problem, memberNotes, _) = await CheckAsync(member, 1, live, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new DrPlanItem { Appliance = appliance, Problem = $"its VM {member.Vm.NameLabel} ({member.Vm.Uuid}): {problem}", Notes = notes };
            }

            notes.AddRange(memberNotes.Select(n => $"VM {member.Vm.NameLabel}: {n}"));
        }

        notes.Add("start order: " + string.Join(", then ", appliance.Vms.GroupBy(v => v.Vm.Order).Select(g => string.Join(" + ", g.Select(v => v.Vm.NameLabel)))));
        return new DrPlanItem { Appliance = appliance, Notes = notes };
    }

    /// <summary>
    /// Why <paramref name="copy"/> cannot be recovered (null if it can), what recovering it implies, and whether the
    /// reason is an SR this pool lacks.
    /// </summary>
    private async Task<(string? Problem, List<string> Notes, bool LacksSr)> CheckAsync(DrVmCopy copy, int copies, Dictionary<string, VmRecord> live, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (copies > 1)
        {
            notes.Add($"{copies} copies found; using {copy.Source.Describe()} (version {copy.Vm.Version})");
        }

        var foreign = await ForeignAsync(copy.Source, cancellationToken).ConfigureAwait(false);
        var missing = await copy.Source.Database.CallForRefsAsync("VM.get_SRs_required_for_recovery", [copy.Ref, session.SessionId], cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            var names = missing.Select(sr => foreign.Srs.TryGetValue(sr, out var r) ? $"{r.NameLabel} ({r.Uuid})" : sr);
            return ($"needs SR {string.Join(", ", names)}, which this pool does not have attached (is it replicated?)", notes, true);
        }

        foreach (var vbdRef in copy.Vm.Vbds)
        {
            if (!foreign.Vbds.TryGetValue(vbdRef.OpaqueRef, out var vbd) || vbd.Type != VbdType.Disk || vbd.Empty || !foreign.Vdis.TryGetValue(vbd.Vdi.OpaqueRef, out var vdi))
            {
                continue;
            }

            try
            {
                await session.Vdi.GetByUuidAsync(vdi.Uuid, cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException)
            {
                var sr = foreign.Srs.TryGetValue(vdi.Sr.OpaqueRef, out var r) ? r.NameLabel : vdi.Sr.OpaqueRef;
                return ($"its disk {vdi.NameLabel} ({vdi.Uuid}, device {vbd.Userdevice}) is not on SR {sr} here (not replicated yet?)", notes, false);
            }
        }

        if (options.Mode == DrFailoverMode.Failback && copy.Vm.PowerState != VmPowerState.Halted)
        {
            return ($"still {copy.Vm.PowerState} on pool {copy.Source.PoolUuid}: shut it down there first", notes, false);
        }

        if (live.TryGetValue(copy.Vm.Uuid, out var existing))
        {
            if (existing.PowerState != VmPowerState.Halted)
            {
                return ($"conflict: a VM with this uuid is {existing.PowerState} on this pool (a running VM is never replaced)", notes, false);
            }

            if (existing.Version >= copy.Vm.Version && !options.Force)
            {
                return ($"conflict: this pool already has this VM, as recent or more (version {existing.Version} here, {copy.Vm.Version} in the metadata); --force replaces it", notes, false);
            }

            notes.Add(existing.Version < copy.Vm.Version
                ? $"replaces this pool's older copy (version {existing.Version} here, {copy.Vm.Version} in the metadata)"
                : "replaces this pool's copy (--force)");
        }

        return (null, notes, false);
    }

    private async Task<(IReadOnlyDictionary<string, VbdRecord> Vbds, IReadOnlyDictionary<string, VdiRecord> Vdis, IReadOnlyDictionary<string, SrRecord> Srs)> ForeignAsync(DrMetadataSource source, CancellationToken cancellationToken)
    {
        if (!_foreign.TryGetValue(source, out var records))
        {
            records = (
                await source.Database.GetAllRecordsAsync<VbdRecord>(cancellationToken).ConfigureAwait(false),
                await source.Database.GetAllRecordsAsync<VdiRecord>(cancellationToken).ConfigureAwait(false),
                await source.Database.GetAllRecordsAsync<SrRecord>(cancellationToken).ConfigureAwait(false));
            _foreign[source] = records;
        }

        return records;
    }
}
