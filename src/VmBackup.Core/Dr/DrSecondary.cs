using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// The secondary site's side of DR: finds the metadata VDIs on the (replicated) SRs this pool sees, opens their
/// databases, prints a plan, then recovers the VMs (<c>VM.recover</c>), starts them when asked, or for a test failover
/// checks their disks and removes them again (VBDs, VIFs and VM; never the VDIs, which live on the replicated storage).
/// </summary>
public sealed class DrSecondary(XenApiSession session, Action<string> report)
{
    /// <summary>Runs the plan and, unless a dry run, the failover or test failover.</summary>
    /// <returns>The number of VMs that were not recovered (conflicts, missing SRs, failures) or failed a check.</returns>
    public async Task<int> RunAsync(DrFailoverOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var srFilter = options.Srs.Select(name => DrPrimary.Resolve(srs, name).Ref).ToHashSet();
        var vdis = await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var metadata = vdis.Where(kv => kv.Value.Type == VdiType.Metadata && (srFilter.Count == 0 || srFilter.Contains(kv.Value.Sr))).ToList();
        if (metadata.Count == 0)
        {
            throw new DrException("no DR metadata VDI on the SRs of this pool (is the replicated storage attached?)");
        }

        var liveVms = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var databases = new List<DrDatabaseSession>();
        try
        {
            var plan = new List<(DrDatabaseSession Db, string Ref, string Name, string Uuid, string? Problem)>();
            foreach (var (vdiRef, vdi) in metadata)
            {
                var poolUuid = await session.CallAsync<string>("VDI.read_database_pool_uuid", [vdiRef], cancellationToken).ConfigureAwait(false);
                var srName = srs.TryGetValue(vdi.Sr, out var sr) ? sr.NameLabel : vdi.Sr.OpaqueRef;
                report($"metadata of pool {poolUuid} on SR {srName}");
                var db = await DrDatabaseSession.OpenAsync(session, vdiRef.OpaqueRef, cancellationToken).ConfigureAwait(false);
                databases.Add(db);
                var records = DrDatabaseSession.Struct(await db.CallAsync("VM.get_all_records", [], cancellationToken).ConfigureAwait(false));
                foreach (var (vmRef, raw) in records.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    var vm = VmRecord.FromStruct(DrDatabaseSession.Struct(raw));
                    if (vm.IsATemplate || vm.IsASnapshot || vm.IsControlDomain || plan.Any(p => p.Uuid == vm.Uuid)
                        || (options.Vms.Count > 0 && !options.Vms.Contains(vm.NameLabel) && !options.Vms.Contains(vm.Uuid)))
                    {
                        continue;
                    }

                    var missing = (object?[])(await db.CallAsync("VM.get_SRs_required_for_recovery", [vmRef, session.SessionId], cancellationToken).ConfigureAwait(false) ?? Array.Empty<object?>());
                    string? problem = null;
                    if (missing.Length > 0)
                    {
                        problem = $"needs {missing.Length} SR(s) this pool does not have";
                    }
                    else if (liveVms.Values.Any(v => v.Uuid == vm.Uuid))
                    {
                        problem = options.Force && options.Mode == DrFailoverMode.Failover ? null : "conflict: a VM with this uuid already exists on this pool (--force replaces it)";
                    }

                    plan.Add((db, vmRef, vm.NameLabel, vm.Uuid, problem));
                }
            }

            var absent = options.Vms.Where(n => !plan.Any(p => p.Name == n || p.Uuid == n)).ToList();
            var failures = absent.Count;
            foreach (var name in absent)
            {
                report($"not found in the metadata: VM {name}");
            }

            report($"plan ({options.Mode switch { DrFailoverMode.TestFailover => "test failover", DrFailoverMode.DryRun => "dry run", _ => "failover" }}):");
            foreach (var p in plan)
            {
                report(p.Problem is null
                    ? $"  recover VM {p.Name} ({p.Uuid}){(liveVms.Values.Any(v => v.Uuid == p.Uuid) ? " replacing the existing VM" : string.Empty)}{(options.Start && options.Mode == DrFailoverMode.Failover ? " and start it" : string.Empty)}{(options.Mode == DrFailoverMode.TestFailover ? ", check its disks, remove it" : string.Empty)}"
                    : $"  skip VM {p.Name} ({p.Uuid}): {p.Problem}");
            }

            failures += plan.Count(p => p.Problem is not null);
            if (options.Mode == DrFailoverMode.DryRun)
            {
                report("dry run: nothing changed");
                return failures;
            }

            foreach (var p in plan.Where(p => p.Problem is null))
            {
                if (!await RecoverOneAsync(p.Db, p.Ref, p.Name, p.Uuid, options, cancellationToken).ConfigureAwait(false))
                {
                    failures++;
                }
            }

            return failures;
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> RecoverOneAsync(DrDatabaseSession db, string foreignRef, string name, string uuid, DrFailoverOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await db.CallAsync("VM.recover", [foreignRef, session.SessionId, options.Force && options.Mode == DrFailoverMode.Failover], cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e)
        {
            report($"failed: VM {name} ({uuid}): {e.Message}");
            return false;
        }

        var vm = await session.Vm.GetByUuidAsync(uuid, cancellationToken).ConfigureAwait(false);
        report($"recovered VM {name} ({uuid})");
        if (options.Mode == DrFailoverMode.Failover)
        {
            if (options.Start)
            {
                try
                {
                    await session.Vm.StartAsync(vm, false, false, cancellationToken).ConfigureAwait(false);
                    report($"started VM {name}");
                }
                catch (XenApiException e)
                {
                    report($"failed to start VM {name}: {e.Message}");
                    return false;
                }
            }

            return true;
        }

        var ok = true;
        var record = await session.Vm.GetRecordAsync(vm, cancellationToken).ConfigureAwait(false);
        var disks = 0;
        foreach (var vbdRef in record.Vbds)
        {
            var vbd = await session.Vbd.GetRecordAsync(vbdRef, cancellationToken).ConfigureAwait(false);
            if (vbd.Type != VbdType.Disk || vbd.Empty)
            {
                continue;
            }

            try
            {
                await session.Vdi.GetRecordAsync(vbd.Vdi, cancellationToken).ConfigureAwait(false);
                disks++;
            }
            catch (XenApiException)
            {
                report($"check failed: VM {name} device {vbd.Userdevice} has no disk");
                ok = false;
            }
        }

        report(ok ? $"checked VM {name}: {disks} disk(s) present" : $"check failed: VM {name}");
        foreach (var vbdRef in record.Vbds)
        {
            await session.CallAsync("VBD.destroy", [vbdRef], cancellationToken).ConfigureAwait(false);
        }

        foreach (var vifRef in record.Vifs)
        {
            await session.CallAsync("VIF.destroy", [vifRef], cancellationToken).ConfigureAwait(false);
        }

        await session.Vm.DestroyAsync(vm, cancellationToken).ConfigureAwait(false);
        report($"removed VM {name} (its disks stay on the replicated storage)");
        return ok;
    }
}
