using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary>
/// <c>VM</c> messages. Each long-running message has a <c>Begin…</c> twin that starts <c>Async.VM.…</c> and returns the
/// task at once (wait with <see cref="XenApiSession.WaitForTaskAsync{T}"/>).
/// </summary>
public sealed class VmApi : XenNamedClassApi<VmRecord>
{
    internal VmApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>VM.get_power_state</c>.</summary>
    public Task<VmPowerState> GetPowerStateAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        GetFieldAsync<VmPowerState>(vm, "power_state", cancellationToken);

    /// <summary><c>VM.get_snapshots</c>.</summary>
    public Task<IReadOnlyList<XenRef<VmRecord>>> GetSnapshotsAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        GetFieldAsync<IReadOnlyList<XenRef<VmRecord>>>(vm, "snapshots", cancellationToken);

    /// <summary><c>VM.get_VBDs</c>.</summary>
    public Task<IReadOnlyList<XenRef<VbdRecord>>> GetVbdsAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        GetFieldAsync<IReadOnlyList<XenRef<VbdRecord>>>(vm, "VBDs", cancellationToken);

    /// <summary><c>VM.snapshot(vm, new_name)</c>: a crash-consistent snapshot (a template VM with <c>is_a_snapshot</c>).</summary>
    public Task<XenRef<VmRecord>> SnapshotAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VmRecord>>("snapshot", [vm, newName], cancellationToken);

    /// <summary><c>VM.snapshot(vm, new_name, ignore_vdis)</c> (xapi ≥ 21.4): snapshot without the listed disks.</summary>
    public Task<XenRef<VmRecord>> SnapshotAsync(XenRef<VmRecord> vm, string newName, IReadOnlyList<XenRef<VdiRecord>> ignoreVdis, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VmRecord>>("snapshot", [vm, newName, ignoreVdis], cancellationToken);

    /// <summary>Starts <c>Async.VM.snapshot(vm, new_name)</c>; the task's result is the snapshot's ref.</summary>
    public Task<XenRef<TaskRecord>> BeginSnapshotAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsTaskAsync("snapshot", [vm, newName], cancellationToken);

    /// <summary><c>VM.checkpoint(vm, new_name)</c>: snapshot with memory (<c>Suspended</c>, with a <c>suspend_VDI</c>).</summary>
    public Task<XenRef<VmRecord>> CheckpointAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VmRecord>>("checkpoint", [vm, newName], cancellationToken);

    /// <summary>Starts <c>Async.VM.checkpoint</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginCheckpointAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsTaskAsync("checkpoint", [vm, newName], cancellationToken);

    /// <summary><c>VM.clone(vm, new_name)</c>.</summary>
    public Task<XenRef<VmRecord>> CloneAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VmRecord>>("clone", [vm, newName], cancellationToken);

    /// <summary>Starts <c>Async.VM.clone</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginCloneAsync(XenRef<VmRecord> vm, string newName, CancellationToken cancellationToken) =>
        CallAsTaskAsync("clone", [vm, newName], cancellationToken);

    /// <summary><c>VM.destroy</c>: needs <c>Halted</c>/<c>Suspended</c>; destroys the VBDs, not the VDIs.</summary>
    public Task DestroyAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallVoidAsync("destroy", [vm], cancellationToken);

    /// <summary>Starts <c>Async.VM.destroy</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginDestroyAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallAsTaskAsync("destroy", [vm], cancellationToken);

    /// <summary><c>VM.set_is_a_template</c> (false after importing an exported snapshot).</summary>
    public Task SetIsATemplateAsync(XenRef<VmRecord> vm, bool value, CancellationToken cancellationToken) =>
        CallVoidAsync("set_is_a_template", [vm, value], cancellationToken);

    /// <summary><c>VM.start(vm, start_paused, force)</c>.</summary>
    public Task StartAsync(XenRef<VmRecord> vm, bool startPaused, bool force, CancellationToken cancellationToken) =>
        CallVoidAsync("start", [vm, startPaused, force], cancellationToken);

    /// <summary>Starts <c>Async.VM.start</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginStartAsync(XenRef<VmRecord> vm, bool startPaused, bool force, CancellationToken cancellationToken) =>
        CallAsTaskAsync("start", [vm, startPaused, force], cancellationToken);

    /// <summary><c>VM.clean_shutdown</c>.</summary>
    public Task CleanShutdownAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallVoidAsync("clean_shutdown", [vm], cancellationToken);

    /// <summary>Starts <c>Async.VM.clean_shutdown</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginCleanShutdownAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallAsTaskAsync("clean_shutdown", [vm], cancellationToken);

    /// <summary><c>VM.hard_shutdown</c>.</summary>
    public Task HardShutdownAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallVoidAsync("hard_shutdown", [vm], cancellationToken);

    /// <summary>Starts <c>Async.VM.hard_shutdown</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginHardShutdownAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken) =>
        CallAsTaskAsync("hard_shutdown", [vm], cancellationToken);
}
