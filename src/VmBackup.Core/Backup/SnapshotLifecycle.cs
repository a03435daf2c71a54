using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Backup;

/// <summary>
/// Owns the snapshot a backup takes and guarantees its removal: <see cref="RemoveAsync"/> on the normal path, and
/// <see cref="DisposeAsync"/> on every other path (failure, exception, cancellation), with a fresh short token so that a
/// cancelled run still cleans up. A VM snapshot is removed like <c>xe vm-uninstall force=true</c> (the snapshot VM and
/// the VDIs its VBDs own); a VDI snapshot is destroyed. What the cleanup removes is logged.
/// </summary>
public sealed class SnapshotLifecycle : IAsyncDisposable
{
    private readonly XenApiSession _session;
    private readonly Action<string> _log;
    private readonly TimeSpan _cleanupTimeout;
    private XenRef<VmRecord> _vmSnapshot;
    private XenRef<VdiRecord> _vdiSnapshot;
    private (XenRef<VmRecord> Source, string Name)? _pendingVmSnapshot;

    /// <summary>Creates a lifecycle for one backup.</summary>
    /// <param name="session">The pool session.</param>
    /// <param name="log">Receives one line per cleanup action (failure paths only).</param>
    /// <param name="cleanupTimeout">How long the cleanup after a failure or cancellation may take. <value>The default value is 2 minutes.</value></param>
    public SnapshotLifecycle(XenApiSession session, Action<string> log, TimeSpan? cleanupTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        _session = session;
        _log = log;
        _cleanupTimeout = cleanupTimeout ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>The VM snapshot taken and not yet removed (null ref when none).</summary>
    public XenRef<VmRecord> VmSnapshot => _vmSnapshot;

    /// <summary>The VDI snapshot taken and not yet removed (null ref when none).</summary>
    public XenRef<VdiRecord> VdiSnapshot => _vdiSnapshot;

    /// <summary>True when nothing is left to remove.</summary>
    public bool IsClean => _vmSnapshot.IsNull && _vdiSnapshot.IsNull && _pendingVmSnapshot is null;

    /// <summary><c>VM.snapshot(vm, name)</c>; the snapshot is owned from then on.</summary>
    public async Task<XenRef<VmRecord>> SnapshotVmAsync(XenRef<VmRecord> vm, string name, CancellationToken cancellationToken)
    {
        EnsureEmpty();
        _pendingVmSnapshot = (vm, name);
        _vmSnapshot = await _session.Vm.SnapshotAsync(vm, name, cancellationToken).ConfigureAwait(false);
        _pendingVmSnapshot = null;
        return _vmSnapshot;
    }

    /// <summary><c>VDI.snapshot(vdi)</c>; the snapshot is owned from then on.</summary>
    public async Task<XenRef<VdiRecord>> SnapshotVdiAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken)
    {
        EnsureEmpty();
        _vdiSnapshot = await _session.Vdi.SnapshotAsync(vdi, cancellationToken).ConfigureAwait(false);
        return _vdiSnapshot;
    }

    /// <summary>
    /// Removes the snapshot now (the normal path). Throws when XAPI refuses; the snapshot then stays owned and
    /// <see cref="DisposeAsync"/> tries again.
    /// </summary>
    /// <returns>The uuids of the objects removed.</returns>
    public async Task<IReadOnlyList<string>> RemoveAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        if (!_vmSnapshot.IsNull)
        {
            removed.AddRange(await UninstallVmAsync(_session, _vmSnapshot, cancellationToken).ConfigureAwait(false));
            _vmSnapshot = default;
        }

        if (!_vdiSnapshot.IsNull)
        {
            removed.Add(await DestroyVdiAsync(_session, _vdiSnapshot, cancellationToken).ConfigureAwait(false));
            _vdiSnapshot = default;
        }

        return removed;
    }

    /// <summary>Removes whatever is still owned, with its own timeout; logs what it removed and any failure. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsClean)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_cleanupTimeout);
        try
        {
            if (_pendingVmSnapshot is { } pending)
            {
                // The snapshot call did not return (failed or cancelled): one may exist all the same.
                await RemoveOrphansAsync(pending.Source, pending.Name, timeout.Token).ConfigureAwait(false);
                _pendingVmSnapshot = null;
            }

            var removed = await RemoveAsync(timeout.Token).ConfigureAwait(false);
            if (removed.Count > 0)
            {
                _log("cleanup: removed snapshot " + string.Join(", ", removed));
            }
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException)
        {
            _log("ERROR cleanup: could not remove the snapshot: " + e.Message);
        }
    }

    /// <summary>
    /// <c>xe vm-uninstall force=true</c> mapped to API calls: the VDIs whose VBD <c>other_config</c> has <c>owner</c>, plus
    /// the suspend VDI; <c>VM.hard_shutdown</c> unless halted; <c>VM.destroy</c>; <c>VDI.destroy</c> on each of them.
    /// </summary>
    /// <returns>The uuids removed: the VM first, then its disks.</returns>
    public static async Task<IReadOnlyList<string>> UninstallVmAsync(XenApiSession session, XenRef<VmRecord> vm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var record = await session.Vm.GetRecordAsync(vm, cancellationToken).ConfigureAwait(false);
        var owned = new List<XenRef<VdiRecord>>();
        foreach (var vbdRef in record.Vbds)
        {
            VbdRecord vbd;
            try
            {
                vbd = await session.Vbd.GetRecordAsync(vbdRef, cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HandleInvalid)
            {
                continue;
            }

            if (!vbd.Vdi.IsNull && vbd.OtherConfig.ContainsKey("owner"))
            {
                owned.Add(vbd.Vdi);
            }
        }

        if (record.PowerState is not (VmPowerState.Halted or VmPowerState.Suspended))
        {
            await session.Vm.HardShutdownAsync(vm, cancellationToken).ConfigureAwait(false);
        }

        await session.Vm.DestroyAsync(vm, cancellationToken).ConfigureAwait(false);
        var removed = new List<string> { record.Uuid };
        foreach (var vdi in owned)
        {
            try
            {
                removed.Add(await DestroyVdiAsync(session, vdi, cancellationToken).ConfigureAwait(false));
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HandleInvalid)
            {
                // Already gone.
            }
        }

        if (!record.SuspendVdi.IsNull)
        {
            try
            {
                removed.Add(await DestroyVdiAsync(session, record.SuspendVdi, cancellationToken).ConfigureAwait(false));
            }
            catch (XenApiException)
            {
                // xe ignores errors here too.
            }
        }

        return removed;
    }

    private static async Task<string> DestroyVdiAsync(XenApiSession session, XenRef<VdiRecord> vdi, CancellationToken cancellationToken)
    {
        var uuid = await session.Vdi.GetUuidAsync(vdi, cancellationToken).ConfigureAwait(false);
        await session.Vdi.DestroyAsync(vdi, cancellationToken).ConfigureAwait(false);
        return uuid;
    }

    private async Task RemoveOrphansAsync(XenRef<VmRecord> source, string name, CancellationToken cancellationToken)
    {
        foreach (var candidate in await _session.Vm.GetByNameLabelAsync(name, cancellationToken).ConfigureAwait(false))
        {
            var record = await _session.Vm.GetRecordAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (record.IsASnapshot && record.SnapshotOf == source)
            {
                var removed = await UninstallVmAsync(_session, candidate, cancellationToken).ConfigureAwait(false);
                _log("cleanup: removed snapshot " + string.Join(", ", removed));
            }
        }
    }

    private void EnsureEmpty()
    {
        if (!IsClean)
        {
            throw new InvalidOperationException("This lifecycle already owns a snapshot.");
        }
    }
}
