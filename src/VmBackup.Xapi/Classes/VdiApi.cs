using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>VDI</c> messages, including Changed Block Tracking.</summary>
public sealed class VdiApi : XenNamedClassApi<VdiRecord>
{
    internal VdiApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>VDI.create</c> from one struct (reference §2).</summary>
    public Task<XenRef<VdiRecord>> CreateAsync(VdiCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CallAsync<XenRef<VdiRecord>>("create", [spec.ToStruct()], cancellationToken);
    }

    /// <summary>Starts <c>Async.VDI.create</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginCreateAsync(VdiCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CallAsTaskAsync("create", [spec.ToStruct()], cancellationToken);
    }

    /// <summary><c>VDI.snapshot(vdi)</c>: a new VDI in the same SR.</summary>
    public Task<XenRef<VdiRecord>> SnapshotAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VdiRecord>>("snapshot", [vdi], cancellationToken);

    /// <summary><c>VDI.snapshot(vdi, driver_params)</c>.</summary>
    public Task<XenRef<VdiRecord>> SnapshotAsync(XenRef<VdiRecord> vdi, IReadOnlyDictionary<string, string> driverParams, CancellationToken cancellationToken) =>
        CallAsync<XenRef<VdiRecord>>("snapshot", [vdi, driverParams], cancellationToken);

    /// <summary>Starts <c>Async.VDI.snapshot(vdi)</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginSnapshotAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallAsTaskAsync("snapshot", [vdi], cancellationToken);

    /// <summary><c>VDI.destroy</c>.</summary>
    public Task DestroyAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallVoidAsync("destroy", [vdi], cancellationToken);

    /// <summary>Starts <c>Async.VDI.destroy</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginDestroyAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallAsTaskAsync("destroy", [vdi], cancellationToken);

    /// <summary><c>VDI.enable_cbt</c> (idempotent).</summary>
    public Task EnableCbtAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallVoidAsync("enable_cbt", [vdi], cancellationToken);

    /// <summary><c>VDI.disable_cbt</c> (idempotent).</summary>
    public Task DisableCbtAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallVoidAsync("disable_cbt", [vdi], cancellationToken);

    /// <summary>
    /// <c>VDI.list_changed_blocks(vdi_from, vdi_to)</c>, base64-decoded: one bit per 64 KiB block, block <c>i</c> in
    /// byte <c>i/8</c>, bit <c>7 - i%8</c> (MSB first); 1 = changed. <paramref name="from"/> is the older snapshot.
    /// </summary>
    public Task<byte[]> ListChangedBlocksAsync(XenRef<VdiRecord> from, XenRef<VdiRecord> to, CancellationToken cancellationToken) =>
        CallAsync<byte[]>("list_changed_blocks", [from, to], cancellationToken);

    /// <summary>Starts <c>Async.VDI.list_changed_blocks</c>; the task's result is the base64 bitmap.</summary>
    public Task<XenRef<TaskRecord>> BeginListChangedBlocksAsync(XenRef<VdiRecord> from, XenRef<VdiRecord> to, CancellationToken cancellationToken) =>
        CallAsTaskAsync("list_changed_blocks", [from, to], cancellationToken);

    /// <summary><c>VDI.data_destroy</c>: drops a CBT-enabled snapshot's data, keeping its CBT log (<c>type</c> becomes <c>cbt_metadata</c>).</summary>
    public Task DataDestroyAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallVoidAsync("data_destroy", [vdi], cancellationToken);

    /// <summary>Starts <c>Async.VDI.data_destroy</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginDataDestroyAsync(XenRef<VdiRecord> vdi, CancellationToken cancellationToken) =>
        CallAsTaskAsync("data_destroy", [vdi], cancellationToken);
}
