using VmBackup.Xapi.Events;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Rpc;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi;

/// <content>Waiting for XAPI tasks.</content>
public sealed partial class XenApiSession
{
    private static readonly TimeSpan CancelGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for <paramref name="task"/> to finish, watching it with <c>event.from(["task/&lt;ref&gt;"], token, timeout)</c>
    /// (timeout per <see cref="XenApiClientOptions.EventFromTimeout"/>), and returns its result decoded from the
    /// XML-RPC text in <c>task.result</c>: <see langword="null"/> for void, a ref string, an <c>object?[]</c> of refs, ….
    /// The task is destroyed afterwards when <see cref="XenApiClientOptions.DestroyFinishedTasks"/> is set.
    /// </summary>
    /// <exception cref="XenApiException">The task failed (code and parameters from <c>error_info</c>), was cancelled (<c>TASK_CANCELLED</c>) or vanished.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; <c>task.cancel</c> was sent first.</exception>
    public async Task<object?> WaitForTaskAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken)
    {
        if (task.IsNull)
        {
            throw new ArgumentException("The task reference is null.", nameof(task));
        }

        TaskRecord finished;
        try
        {
            finished = await WatchTaskAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelTaskQuietlyAsync(task).ConfigureAwait(false);
            throw;
        }

        try
        {
            return Outcome(task, finished);
        }
        finally
        {
            if (Options.DestroyFinishedTasks)
            {
                await DestroyTaskQuietlyAsync(task).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="WaitForTaskAsync(XenRef{TaskRecord}, CancellationToken)"/>, converting the result to <typeparamref name="T"/> (e.g. <c>XenRef&lt;VmRecord&gt;</c>).</summary>
    public async Task<T> WaitForTaskAsync<T>(XenRef<TaskRecord> task, CancellationToken cancellationToken)
    {
        var raw = await WaitForTaskAsync(task, cancellationToken).ConfigureAwait(false);
        return XenValueConverter.Convert<T>(raw);
    }

    /// <summary>Decodes a <c>task.result</c> text: an XML-RPC <c>&lt;value&gt;</c>, or <see langword="null"/> for <c>""</c> (void).</summary>
    public static object? DecodeTaskResult(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var trimmed = result.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        return trimmed.StartsWith('<') ? XmlRpcCodec.DecodeValueText(trimmed) : trimmed;
    }

    private static object? Outcome(XenRef<TaskRecord> task, TaskRecord finished) => finished.Status switch
    {
        XenTaskStatus.Success => DecodeTaskResult(finished.Result),
        XenTaskStatus.Cancelled => throw new XenApiException(XenApiErrorCodes.TaskCancelled, [task.OpaqueRef], TaskSource(finished)),
        _ when finished.ErrorInfo.Count > 0 => throw new XenApiException(finished.ErrorInfo[0], finished.ErrorInfo.Skip(1).ToArray(), TaskSource(finished)),
        _ => throw new XenApiException(XenApiErrorCodes.InternalError, ["task failed without error_info"], TaskSource(finished)),
    };

    private static string TaskSource(TaskRecord task) => task.NameLabel.Length == 0 ? "task" : task.NameLabel;

    private static bool IsFinished(XenTaskStatus status) =>
        status is XenTaskStatus.Success or XenTaskStatus.Failure or XenTaskStatus.Cancelled;

    private async Task<TaskRecord> WatchTaskAsync(XenRef<TaskRecord> task, CancellationToken cancellationToken)
    {
        string[] subscription = ["task/" + task.OpaqueRef];
        var token = string.Empty;
        while (true)
        {
            EventBatch batch;
            try
            {
                batch = await Events.FromAsync(subscription, token, Options.EventFromTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.EventsLost)
            {
                token = string.Empty;
                continue;
            }

            var sawTask = false;
            foreach (var change in batch.Events)
            {
                if (!string.Equals(change.OpaqueRef, task.OpaqueRef, StringComparison.Ordinal))
                {
                    continue;
                }

                sawTask = true;
                if (change.Operation == XenEventOperation.Del)
                {
                    throw new XenApiException(XenApiErrorCodes.HandleInvalid, [TaskRecord.ClassName, task.OpaqueRef], "task (destroyed while waiting)");
                }

                var record = change.SnapshotAs<TaskRecord>();
                if (record is not null && IsFinished(record.Status))
                {
                    return record;
                }
            }

            if (!sawTask)
            {
                // Safety net: a server that does not replay the current state for an empty token still gets answered.
                var record = await Tasks.GetRecordAsync(task, cancellationToken).ConfigureAwait(false);
                if (IsFinished(record.Status))
                {
                    return record;
                }
            }

            token = batch.Token;
        }
    }

    private async Task CancelTaskQuietlyAsync(XenRef<TaskRecord> task)
    {
        using var grace = new CancellationTokenSource(CancelGracePeriod);
        try
        {
            await Tasks.CancelAsync(task, grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException or InvalidOperationException)
        {
            Options.Trace?.Invoke("task.cancel after cancellation failed: " + (e is XenApiException x ? x.ErrorCode : e.GetType().Name));
        }
    }

    private async Task DestroyTaskQuietlyAsync(XenRef<TaskRecord> task)
    {
        using var grace = new CancellationTokenSource(CancelGracePeriod);
        try
        {
            await Tasks.DestroyAsync(task, grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException or InvalidOperationException)
        {
            Options.Trace?.Invoke("task.destroy failed: " + (e is XenApiException x ? x.ErrorCode : e.GetType().Name));
        }
    }
}
