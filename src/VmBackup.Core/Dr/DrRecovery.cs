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
    /// <returns>The number of VMs and vApps not recovered (conflicts, missing SRs, failures) or failing a check.</returns>
    /// <exception cref="DrException">Nothing to recover from (no storage, no metadata), or a name that does not exist.</exception>
    public async Task<int> RunAsync(DrFailoverOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var attachment = new DrStorageAttachment(session);
        IReadOnlyList<string> drTasks = [];
        IReadOnlyList<XenRef<SrRecord>> introduced = [];
        var recovered = new DrRecoveredSet();
        try
        {
            HashSet<XenRef<SrRecord>> scope;
            if (options.Storage is { } storage)
            {
                var (chosen, toIntroduce) = await PlanStorageAsync(attachment, storage, cancellationToken).ConfigureAwait(false);
                if (options.DryRun && toIntroduce > 0)
                {
                    report("dry run: nothing changed (the VMs are listed once the SRs are attached: test-failover rehearses the failover without starting anything)");
                    return 0;
                }

                if (toIntroduce > 0)
                {
                    (drTasks, introduced) = await attachment.AttachAsync(storage.Type, chosen, cancellationToken).ConfigureAwait(false);
                    var names = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var sr in introduced)
                    {
                        report($"introduced SR {(names.TryGetValue(sr, out var r) ? $"{r.NameLabel} ({r.Uuid})" : sr.OpaqueRef)}");
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

                return await RecoverAsync(catalog, options, recovered, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await CleanUpAsync(options, attachment, drTasks, introduced, recovered, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Probes the storage and prints which SRs will be introduced; returns the SRs chosen and how many are new.</summary>
    private async Task<(IReadOnlyList<DrProbedSr> Chosen, int ToIntroduce)> PlanStorageAsync(DrStorageAttachment attachment, DrStorageTarget storage, CancellationToken cancellationToken)
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

    private async Task<int> RecoverAsync(DrMetadataCatalog catalog, DrFailoverOptions options, DrRecoveredSet recovered, CancellationToken cancellationToken)
    {
        var (plan, notFound) = await new DrPlanner(session, options).BuildAsync(catalog, cancellationToken).ConfigureAwait(false);
        foreach (var name in notFound)
        {
            report($"not found in the metadata: {name}");
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

        var failures = notFound.Count + plan.Count(p => p.Problem is not null && !p.StaysAtSource);
        if (options.DryRun)
        {
            report("dry run: nothing changed");
            return failures;
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
                failures++;
                continue;
            }

            await recovered.AddAsync(session, item, cancellationToken).ConfigureAwait(false);
            report($"recovered {item.Kind} {item.Name} ({item.Uuid}){(item.Appliance is null ? string.Empty : $" with {item.Members.Count} VM(s)")}");
        }

        if (options.Mode == DrFailoverMode.TestFailover)
        {
            return failures + await recovered.CheckDisksAsync(session, report, cancellationToken).ConfigureAwait(false);
        }

        return start ? failures + await StartAsync(recovered, cancellationToken).ConfigureAwait(false) : failures;
    }

    /// <summary>Starts the recovered vApps (<c>VM_appliance.start</c>: by <c>VM.order</c>, lowest first) and then the single VMs.</summary>
    private async Task<int> StartAsync(DrRecoveredSet recovered, CancellationToken cancellationToken)
    {
        var failures = 0;
        foreach (var (name, appliance, members) in recovered.Appliances)
        {
            try
            {
                await session.CallAsync("VM_appliance.start", [appliance, false], cancellationToken).ConfigureAwait(false);
                report($"started vApp {name}: {string.Join(", then ", members.GroupBy(m => m.Vm.Order).Select(g => string.Join(" + ", g.Select(m => m.Vm.NameLabel))))}");
            }
            catch (XenApiException e)
            {
                report($"failed to start vApp {name}: {e.Message}");
                failures++;
            }
        }

        foreach (var (name, vm, _) in recovered.Vms.Where(v => !v.InAppliance))
        {
            try
            {
                await session.Vm.StartAsync(vm, false, false, cancellationToken).ConfigureAwait(false);
                report($"started VM {name}");
            }
            catch (XenApiException e)
            {
                report($"failed to start VM {name}: {e.Message}");
                failures++;
            }
        }

        return failures;
    }

    /// <summary>
    /// A test failover removes what it recovered and forgets the SRs it introduced (which recovery took out of the DR
    /// task); every run then destroys its DR task, which forgets the introduced SRs no recovered VM uses.
    /// </summary>
    private async Task CleanUpAsync(DrFailoverOptions options, DrStorageAttachment attachment, IReadOnlyList<string> drTasks, IReadOnlyList<XenRef<SrRecord>> introduced, DrRecoveredSet recovered, CancellationToken cancellationToken)
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
    }
}
