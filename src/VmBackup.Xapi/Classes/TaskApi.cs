using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>task</c> messages. To wait for a task use <see cref="XenApiSession.WaitForTaskAsync(XenRef{TaskRecord}, CancellationToken)"/>.</summary>
public sealed class TaskApi : XenNamedClassApi<TaskRecord>
{
    internal TaskApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>task.create(label, description)</c>: a task the client drives (e.g. for an HTTP transfer's <c>task_id</c>).</summary>
    public Task<XenRef<TaskRecord>> CreateAsync(string label, string description, CancellationToken cancellationToken) =>
        CallAsync<XenRef<TaskRecord>>("create", [label, description], cancellationToken);

    /// <summary><c>task.cancel</c>: asks XAPI to cancel; the task ends <c>cancelled</c> (or finishes first).</summary>
    public Task CancelAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        CallVoidAsync("cancel", [task], cancellationToken);

    /// <summary><c>task.destroy</c>.</summary>
    public Task DestroyAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        CallVoidAsync("destroy", [task], cancellationToken);

    /// <summary><c>task.get_status</c>.</summary>
    public Task<XenTaskStatus> GetStatusAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        GetFieldAsync<XenTaskStatus>(task, "status", cancellationToken);

    /// <summary><c>task.get_progress</c> (0..1).</summary>
    public Task<double> GetProgressAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        GetFieldAsync<double>(task, "progress", cancellationToken);

    /// <summary><c>task.set_progress</c>.</summary>
    public Task SetProgressAsync(XenRef<TaskRecord> task, double value, CancellationToken cancellationToken) =>
        CallVoidAsync("set_progress", [task, value], cancellationToken);

    /// <summary><c>task.get_result</c>: the XML-RPC text; decode with <see cref="XenApiSession.DecodeTaskResult"/>.</summary>
    public Task<string> GetResultAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        GetFieldAsync<string>(task, "result", cancellationToken);

    /// <summary><c>task.get_error_info</c>: <c>[CODE, params…]</c>.</summary>
    public Task<IReadOnlyList<string>> GetErrorInfoAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken) =>
        GetFieldAsync<IReadOnlyList<string>>(task, "error_info", cancellationToken);
}
