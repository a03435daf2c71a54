using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>VBD</c> messages.</summary>
public sealed class VbdApi : XenClassApi<VbdRecord>
{
    internal VbdApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>VBD.create</c> from one struct.</summary>
    public Task<XenRef<VbdRecord>> CreateAsync(VbdCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CallAsync<XenRef<VbdRecord>>("create", [spec.ToStruct()], cancellationToken);
    }

    /// <summary>Starts <c>Async.VBD.create</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginCreateAsync(VbdCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CallAsTaskAsync("create", [spec.ToStruct()], cancellationToken);
    }

    /// <summary><c>VBD.destroy</c>.</summary>
    public Task DestroyAsync(XenRef<VbdRecord> vbd, CancellationToken cancellationToken) =>
        CallVoidAsync("destroy", [vbd], cancellationToken);

    /// <summary>Starts <c>Async.VBD.destroy</c>.</summary>
    public Task<XenRef<TaskRecord>> BeginDestroyAsync(XenRef<VbdRecord> vbd, CancellationToken cancellationToken) =>
        CallAsTaskAsync("destroy", [vbd], cancellationToken);
}
