using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Restore;

/// <summary>
/// The ledger of what a restore created on the pool, in creation order. <see cref="RollbackAsync"/> removes it all,
/// newest first: VMs are hard-shut-down if needed and destroyed (with their VBDs and VIFs), then the VDIs, VBDs and
/// VIFs recorded separately are destroyed. Each step is tried even when an earlier one failed. Not thread-safe.
/// </summary>
internal sealed class CreatedObjects
{
    private readonly List<(string Kind, string Ref)> _objects = [];

    /// <summary>What was recorded, oldest first (kind: <c>VM</c>, <c>VDI</c>, <c>VBD</c>, <c>VIF</c>).</summary>
    public IReadOnlyList<(string Kind, string Ref)> Objects => _objects;

    public void Add(XenRef<VmRecord> vm) => _objects.Add(("VM", vm.OpaqueRef));

    public void Add(XenRef<VdiRecord> vdi) => _objects.Add(("VDI", vdi.OpaqueRef));

    public void Add(XenRef<VbdRecord> vbd) => _objects.Add(("VBD", vbd.OpaqueRef));

    public void Add(XenRef<VifRecord> vif) => _objects.Add(("VIF", vif.OpaqueRef));

    /// <summary>Forgets one recorded VM (it was destroyed on purpose, e.g. after a disk-only import).</summary>
    public void Forget(XenRef<VmRecord> vm) => _objects.Remove(("VM", vm.OpaqueRef));

    /// <summary>Forgets everything (the restore succeeded: what was created now belongs to the admin).</summary>
    public void Commit() => _objects.Clear();

    /// <summary>
    /// Removes every recorded object, newest first, with its own time limit (the caller's token may already be
    /// cancelled). Returns the messages of the steps that failed (empty when everything was removed).
    /// </summary>
    public async Task<IReadOnlyList<string>> RollbackAsync(XenApiSession session, TimeSpan timeout)
    {
        using var cleanup = new CancellationTokenSource(timeout);
        var ct = cleanup.Token;
        var failures = new List<string>();
        for (var i = _objects.Count - 1; i >= 0; i--)
        {
            var (kind, opaque) = _objects[i];
            try
            {
                switch (kind)
                {
                    case "VM":
                        var vm = new XenRef<VmRecord>(opaque);
                        var record = await session.Vm.GetRecordAsync(vm, ct).ConfigureAwait(false);
                        if (record.PowerState is not (VmPowerState.Halted or VmPowerState.Suspended))
                        {
                            await session.Vm.HardShutdownAsync(vm, ct).ConfigureAwait(false);
                        }

                        // VM.destroy keeps the VDIs: destroy the disks the VM owns first (an XVA import creates them).
                        var vdis = new List<XenRef<VdiRecord>>();
                        foreach (var vbd in record.Vbds)
                        {
                            var vbdRecord = await session.Vbd.GetRecordAsync(vbd, ct).ConfigureAwait(false);
                            if (vbdRecord.Type == VbdType.Disk && !vbdRecord.Vdi.IsNull)
                            {
                                vdis.Add(vbdRecord.Vdi);
                            }
                        }

                        await session.Vm.DestroyAsync(vm, ct).ConfigureAwait(false);
                        foreach (var vdi in vdis)
                        {
                            await DestroyIfPresentAsync(() => session.Vdi.DestroyAsync(vdi, ct)).ConfigureAwait(false);
                        }

                        break;
                    case "VDI":
                        await DestroyIfPresentAsync(() => session.Vdi.DestroyAsync(new XenRef<VdiRecord>(opaque), ct)).ConfigureAwait(false);
                        break;
                    case "VBD":
                        await DestroyIfPresentAsync(() => session.Vbd.DestroyAsync(new XenRef<VbdRecord>(opaque), ct)).ConfigureAwait(false);
                        break;
                    case "VIF":
                        await DestroyIfPresentAsync(() => session.CallAsync("VIF.destroy", [opaque], ct)).ConfigureAwait(false);
                        break;
                    default:
                        break;
                }
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HandleInvalid)
            {
                // Already gone (a VM's VBDs and VIFs go with it).
            }
            catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException)
            {
                failures.Add($"could not remove {kind} {opaque}: {e.Message}");
            }
        }

        _objects.Clear();
        return failures;
    }

    private static async Task DestroyIfPresentAsync(Func<Task> destroy)
    {
        try
        {
            await destroy().ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HandleInvalid)
        {
        }
    }
}
