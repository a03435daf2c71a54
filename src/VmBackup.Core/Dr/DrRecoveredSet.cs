using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// What a recovery created on the live pool: the VMs (with their recovered snapshots) and vApps, found by their kept
/// uuids. A test failover checks their disks and removes them again: snapshots, VMs (with their VBDs and VIFs) and
/// vApps, never the VDIs, which live on the replicated storage.
/// </summary>
internal sealed class DrRecoveredSet
{
    private readonly List<(string Name, XenRef<VmRecord> Vm, bool InAppliance, DrItemResult Outcome)> _vms = [];
    private readonly List<(string Name, string Appliance, IReadOnlyList<DrVmCopy> Members, DrItemResult Outcome)> _appliances = [];

    /// <summary>The recovered VMs (live refs); <c>InAppliance</c> for those a vApp brought; <c>Outcome</c> is their plan line's.</summary>
    public IReadOnlyList<(string Name, XenRef<VmRecord> Vm, bool InAppliance, DrItemResult Outcome)> Vms => _vms;

    /// <summary>The recovered vApps (live refs) with their VMs in start order.</summary>
    public IReadOnlyList<(string Name, string Appliance, IReadOnlyList<DrVmCopy> Members, DrItemResult Outcome)> Appliances => _appliances;

    /// <summary>Records what recovering <paramref name="item"/> created.</summary>
    public async Task AddAsync(XenApiSession session, DrPlanItem item, DrItemResult outcome, CancellationToken cancellationToken)
    {
        if (item.Appliance is not null)
        {
            var appliance = await session.CallAsync<string>("VM_appliance.get_by_uuid", [item.Uuid], cancellationToken).ConfigureAwait(false);
            _appliances.Add((item.Name, appliance, item.Members, outcome));
        }

        foreach (var member in item.Members)
        {
            var vm = await session.Vm.GetByUuidAsync(member.Vm.Uuid, cancellationToken).ConfigureAwait(false);
            _vms.Add((member.Vm.NameLabel, vm, item.Appliance is not null, outcome));
        }
    }

    /// <summary>Checks that every disk of every recovered VM is present (recorded on their outcomes).</summary>
    public async Task CheckDisksAsync(XenApiSession session, Action<string> report, CancellationToken cancellationToken)
    {
        foreach (var (name, vm, _, outcome) in _vms)
        {
            var record = await session.Vm.GetRecordAsync(vm, cancellationToken).ConfigureAwait(false);
            var disks = 0;
            var ok = true;
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
            outcome.DisksPresent = (outcome.DisksPresent ?? 0) + disks;
            outcome.CheckFailed |= !ok;
        }
    }

    /// <summary>Removes the recovered VMs, their snapshots and the vApps (best effort: each failure is reported).</summary>
    public async Task RemoveAsync(XenApiSession session, Action<string> report, CancellationToken cancellationToken)
    {
        foreach (var (name, vm, inAppliance, outcome) in _vms)
        {
            try
            {
                var record = await session.Vm.GetRecordAsync(vm, cancellationToken).ConfigureAwait(false);
                foreach (var snapshot in record.Snapshots)
                {
                    await session.Vm.DestroyAsync(snapshot, cancellationToken).ConfigureAwait(false);
                }

                // VM.destroy takes the VBDs and VIFs with it (never the VDIs); VBD.destroy one by one would be refused:
                // a recovered VBD keeps the metadata's currently_attached flag.
                await session.Vm.DestroyAsync(vm, cancellationToken).ConfigureAwait(false);
                report($"removed VM {name} (its disks stay on the replicated storage)");
                outcome.Removed |= !inAppliance;
            }
            catch (XenApiException e)
            {
                report($"warning: could not remove VM {name}: {e.Message}");
            }
        }

        foreach (var (name, appliance, _, outcome) in _appliances)
        {
            try
            {
                await session.CallAsync("VM_appliance.destroy", [appliance], cancellationToken).ConfigureAwait(false);
                report($"removed vApp {name}");
                outcome.Removed = true;
            }
            catch (XenApiException e)
            {
                report($"warning: could not remove vApp {name}: {e.Message}");
            }
        }

        _vms.Clear();
        _appliances.Clear();
    }
}
