using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// Failover, test failover and failback (docs/disaster-recovery.md): introduces the replicated SRs when asked
/// (<see cref="DrStorageAttachment"/>), reads every metadata copy (<see cref="DrMetadataCatalog"/>), prints the plan
/// (<see cref="DrPlanner"/>), then recovers the vApps (<c>VM_appliance.recover</c>) and VMs (<c>VM.recover</c>) and
/// starts them (vApps in their start order), or, for a test failover, checks their disks and removes them again with
/// the SRs it introduced, leaving the pool as it was.
/// </summary>
public sealed class DrRecovery(XenApiSession session, Action<string> report)
{
    /// <summary>Runs the plan and, unless a dry run, the recovery.</summary>
    /// <returns>What was planned and done; <see cref="DrRunResult.Failures"/> counts the VMs and vApps not recovered or failing a check.</returns>
    /// <exception cref="DrException">Nothing to recover from (no storage, no metadata), or a name that does not exist.</exception>
    public async Task<DrRunResult> RunAsync(DrFailoverOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new DrRunResult { Mode = options.Mode, DryRun = options.DryRun };
        var attachment = new DrStorageAttachment(session);
        IReadOnlyList<string> drTasks = [];
        IReadOnlyList<XenRef<SrRecord>> introduced = [];
        var recovered = new DrRecoveredSet();
        try
        {
            HashSet<XenRef<SrRecord>> scope;
            if (options.Storage is { } storage)
            {
                var (chosen, toIntroduce) = await PlanStorageAsync(attachment, storage, result, cancellationToken).ConfigureAwait(false);
                if (options.DryRun && toIntroduce > 0)
                {
                    report("dry run: nothing changed (the VMs are listed once the SRs are attached: test-failover rehearses the failover without starting anything)");
                    return result;
                }

                if (toIntroduce > 0)
                {
                    (drTasks, introduced) = await attachment.AttachAsync(storage.Type, chosen, cancellationToken).ConfigureAwait(false);
                    var names = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var sr in introduced)
                    {
                        var (name, uuid) = names.TryGetValue(sr, out var r) ? (r.NameLabel, r.Uuid) : (sr.OpaqueRef, string.Empty);
                        report($"introduced SR {name} ({uuid})");
                        SetSrState(result, uuid, "introduced");
                    }
                }

                var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
                scope = srs.Where(kv => chosen.Any(c => c.Uuid == kv.Value.Uuid)).Select(kv => kv.Key).ToHashSet();
            }
            else
            {
                scope = await ScopeAsync(options, cancellationToken).ConfigureAwait(false);
            }

            var catalog = await DrMetadataCatalog.OpenAsync(session, scope, report, cancellationToken).ConfigureAwait(false);
            await using (catalog.ConfigureAwait(false))
            {
                if (catalog.Sources.Count == 0)
                {
                    throw new DrException(options.Mode == DrFailoverMode.Failback
                        ? "no metadata of another pool on the SRs of this pool (is replication on at the secondary site? vmbackup dr enable there)"
                        : "no DR metadata of another pool on these SRs (is the replicated storage attached? --type/--device-config introduce it)");
                }

                await RecoverAsync(catalog, options, recovered, result, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            await CleanUpAsync(options, attachment, drTasks, introduced, recovered, result, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void SetSrState(DrRunResult result, string uuid, string state)
    {
        var index = result.Srs.FindIndex(s => s.Uuid == uuid);
        if (index >= 0)
        {
            result.Srs[index] = result.Srs[index] with { State = state };
        }
    }

    /// <summary>Probes the storage and prints which SRs will be introduced; returns the SRs chosen and how many are new.</summary>
    private async Task<(IReadOnlyList<DrProbedSr> Chosen, int ToIntroduce)> PlanStorageAsync(DrStorageAttachment attachment, DrStorageTarget storage, DrRunResult result, CancellationToken cancellationToken)
    {
        var found = await attachment.ProbeAsync(storage, cancellationToken).ConfigureAwait(false);
        foreach (var uuid in storage.SrUuids.Where(u => !found.Any(f => f.Uuid == u)))
        {
            throw new DrException($"SR {uuid} is not on the {storage.Type} storage (the probe found: {(found.Count == 0 ? "none" : string.Join(", ", found.Select(f => f.Uuid)))})");
        }

        var chosen = found.Where(f => storage.SrUuids.Count == 0 || storage.SrUuids.Contains(f.Uuid)).ToList();
        if (chosen.Count == 0)
        {
            throw new DrException($"the {storage.Type} storage holds no SR with DR metadata");
        }

        var known = (await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false)).Values.Select(s => s.Uuid).ToHashSet(StringComparer.Ordinal);
        report("storage plan:");
        foreach (var sr in chosen)
        {
            report(known.Contains(sr.Uuid) ? $"  SR {sr.NameLabel} ({sr.Uuid}) is already attached" : $"  introduce SR {sr.NameLabel} ({sr.Uuid})");
            result.Srs.Add((sr.NameLabel, sr.Uuid, known.Contains(sr.Uuid) ? "already attached" : "to introduce"));
        }

        return (chosen, chosen.Count(c => !known.Contains(c.Uuid)));
    }

    /// <summary>The SRs whose metadata is read without <c>--type</c>: those named, else all; a failback scans them first.</summary>
    private async Task<HashSet<XenRef<SrRecord>>> ScopeAsync(DrFailoverOptions options, CancellationToken cancellationToken)
    {
        var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var scope = options.Srs.Count == 0
            ? srs.Where(kv => kv.Value.ContentType != "iso").Select(kv => kv.Key).ToHashSet()
            : options.Srs.Select(name => DrPrimary.Resolve(srs, name).Ref).ToHashSet();
        if (options.Mode == DrFailoverMode.Failback)
        {
            foreach (var sr in scope.Where(sr => srs[sr].Shared))
            {
                // The secondary's metadata VDI appeared on the storage after this pool last looked.
                await session.CallAsync("SR.scan", [sr], cancellationToken).ConfigureAwait(false);
            }
        }

        return scope;
    }

    private async Task RecoverAsync(DrMetadataCatalog catalog, DrFailoverOptions options, DrRecoveredSet recovered, DrRunResult result, CancellationToken cancellationToken)
    {
        var (plan, notFound) = await new DrPlanner(session, options).BuildAsync(catalog, cancellationToken).ConfigureAwait(false);
        foreach (var name in notFound)
        {
            report($"not found in the metadata: {name}");
        }

        result.NotFound.AddRange(notFound);
        var outcomes = new Dictionary<DrPlanItem, DrItemResult>();
        foreach (var item in plan)
        {
            outcomes[item] = new DrItemResult
            {
                Kind = item.Kind,
                Name = item.Name,
                Uuid = item.Uuid,
                SourcePool = item.Source.PoolUuid,
                SourceSr = item.Source.SrName,
                Action = item.Problem is null ? "recover" : item.StaysAtSource ? "leave" : "skip",
                Problem = item.Problem,
                Notes = item.Notes,
                Vms = [.. item.Members.Select(m => m.Vm.NameLabel)],
            };
            result.Items.Add(outcomes[item]);
        }

        var start = options.Start && options.Mode != DrFailoverMode.TestFailover;
        report($"plan ({(options.DryRun ? "dry run of a " : string.Empty)}{options.Mode switch { DrFailoverMode.TestFailover => "test failover", DrFailoverMode.Failback => "failback", _ => "failover" }}):");
        foreach (var item in plan)
        {
            report(item.Problem is null
                ? $"  recover {item.Kind} {item.Name} ({item.Uuid}) from {item.Source.Describe()}{(start ? " and start it" : string.Empty)}{(options.Mode == DrFailoverMode.TestFailover ? ", check its disks, remove it" : string.Empty)}"
                : item.StaysAtSource
                    ? $"  leave {item.Kind} {item.Name} ({item.Uuid}) on pool {item.Source.Pool}: it {item.Problem}"
                    : $"  skip {item.Kind} {item.Name} ({item.Uuid}): {item.Problem}");
            foreach (var note in item.Notes)
            {
                report($"    {note}");
            }
        }

        if (options.DryRun)
        {
            report("dry run: nothing changed");
            return;
        }

        var force = options.Force && options.Mode != DrFailoverMode.TestFailover;
        foreach (var item in plan.Where(p => p.Problem is null))
        {
            try
            {
                await item.Source.Database.CallAsync(item.Appliance is null ? "VM.recover" : "VM_appliance.recover", [item.SourceRef, session.SessionId, force], cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException e)
            {
                report($"failed: {item.Kind} {item.Name} ({item.Uuid}): {e.Message}");
                outcomes[item].Error = e.Message;
                continue;
            }

            outcomes[item].Recovered = true;
            await recovered.AddAsync(session, item, outcomes[item], cancellationToken).ConfigureAwait(false);
            report($"recovered {item.Kind} {item.Name} ({item.Uuid}){(item.Appliance is null ? string.Empty : $" with {item.Members.Count} VM(s)")}");
        }

        if (options.Mode == DrFailoverMode.TestFailover)
        {
            await recovered.CheckDisksAsync(session, report, cancellationToken).ConfigureAwait(false);
        }
        else if (start)
        {
            await StartAsync(recovered, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the recovered vApps (<c>VM_appliance.start</c>: by <c>VM.order</c>, lowest first) and then the single VMs.</summary>
    private async Task StartAsync(DrRecoveredSet recovered, CancellationToken cancellationToken)
    {
        foreach (var (name, appliance, members, outcome) in recovered.Appliances)
        {
            try
            {
                await session.CallAsync("VM_appliance.start", [appliance, false], cancellationToken).ConfigureAwait(false);
                report($"started vApp {name}: {string.Join(", then ", members.GroupBy(m => m.Vm.Order).Select(g => string.Join(" + ", g.Select(m => m.Vm.NameLabel))))}");
                outcome.Started = true;
            }
            catch (XenApiException e)
            {
                report($"failed to start vApp {name}: {e.Message}");
                outcome.Error = e.Message;
            }
        }

        foreach (var (name, vm, _, outcome) in recovered.Vms.Where(v => !v.InAppliance))
        {
            try
            {
                await session.Vm.StartAsync(vm, false, false, cancellationToken).ConfigureAwait(false);
                report($"started VM {name}");
                outcome.Started = true;
            }
            catch (XenApiException e)
            {
                report($"failed to start VM {name}: {e.Message}");
                outcome.Error = e.Message;
            }
        }
    }

    /// <summary>
    /// A test failover removes what it recovered and forgets the SRs it introduced (which recovery took out of the DR
    /// task); every run then destroys its DR task, which forgets the introduced SRs no recovered VM uses.
    /// </summary>
    private async Task CleanUpAsync(DrFailoverOptions options, DrStorageAttachment attachment, IReadOnlyList<string> drTasks, IReadOnlyList<XenRef<SrRecord>> introduced, DrRecoveredSet recovered, DrRunResult result, CancellationToken cancellationToken)
    {
        // Clean up even when the run was cancelled: a test failover must not leave VMs behind.
        using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var token = cancellationToken.IsCancellationRequested ? cleanup.Token : cancellationToken;
        if (options.Mode == DrFailoverMode.TestFailover)
        {
            await recovered.RemoveAsync(session, report, token).ConfigureAwait(false);
            foreach (var sr in introduced)
            {
                try
                {
                    var record = await session.Sr.GetRecordAsync(sr, token).ConfigureAwait(false);
                    await attachment.ForgetAsync(sr, token).ConfigureAwait(false);
                    report($"forgot SR {record.NameLabel} ({record.Uuid}); its content stays on the storage");
                    SetSrState(result, record.Uuid, "forgotten");
                }
                catch (XenApiException e)
                {
                    report($"warning: could not forget SR {sr.OpaqueRef}: {e.Message}");
                }
            }
        }

        foreach (var drTask in drTasks)
        {
            try
            {
                await attachment.DestroyTaskAsync(drTask, token).ConfigureAwait(false);
            }
            catch (XenApiException e)
            {
                report($"warning: could not destroy DR task {drTask}: {e.Message}");
            }
        }

        if (drTasks.Count > 0 && options.Mode != DrFailoverMode.TestFailover)
        {
            try
            {
                var left = (await session.Sr.GetAllRecordsAsync(token).ConfigureAwait(false)).Values.Select(r => r.Uuid).ToHashSet(StringComparer.Ordinal);
                foreach (var (name, uuid, _) in result.Srs.Where(s => s.State == "introduced" && !left.Contains(s.Uuid)).ToList())
                {
                    report($"forgot SR {name} ({uuid}): no recovered VM uses it");
                    SetSrState(result, uuid, "forgotten");
                }
            }
            catch (XenApiException e)
            {
                report($"warning: could not list the SRs after destroying the DR task: {e.Message}");
            }
        }
    }
}
