using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Transfers;

/// <summary>
/// The client-created task (<c>task.create</c>, as the xe CLI does) one HTTP transfer reports through: waiting for its
/// outcome, reading its failure after an HTTP error, cancelling and destroying it. Destroys the task exactly once.
/// </summary>
internal sealed class TransferTask
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    private readonly XenApiSession _session;
    private readonly TimeSpan _completionTimeout;
    private int _released;

    private TransferTask(XenApiSession session, XenRef<TaskRecord> task, TimeSpan completionTimeout)
    {
        _session = session;
        Ref = task;
        _completionTimeout = completionTimeout;
    }

    public XenRef<TaskRecord> Ref { get; }

    public static async Task<TransferTask> CreateAsync(XenApiSession session, string label, TimeSpan completionTimeout, CancellationToken cancellationToken)
    {
        var task = await session.Tasks.CreateAsync(label, "VmBackup HTTP transfer", cancellationToken).ConfigureAwait(false);
        return new TransferTask(session, task, completionTimeout);
    }

    /// <summary>
    /// Waits (at most the completion timeout) for the task and returns its decoded result; destroys it afterwards.
    /// </summary>
    /// <exception cref="XenApiException">The task failed or was cancelled.</exception>
    /// <exception cref="XenApiConnectionException">The task did not finish in time (it is cancelled).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled (the task is cancelled).</exception>
    public async Task<object?> WaitAsync(string what, Uri server, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_completionTimeout);
        var finished = false;
        try
        {
            var result = await _session.WaitForTaskAsync(Ref, timeout.Token).ConfigureAwait(false);
            finished = true;
            return result;
        }
        catch (XenApiException)
        {
            finished = true;
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            // WaitForTaskAsync has sent task.cancel already.
            throw new XenApiConnectionException(
                what + " on " + server.GetLeftPart(UriPartial.Authority) + ": its task did not finish within " + _completionTimeout + " after the data ended; it was cancelled.",
                Authority(server));
        }
        finally
        {
            // WaitForTaskAsync destroys a finished task itself when the session is configured to; it cancels on cancellation.
            await ReleaseAsync(cancel: false, destroy: !finished || !_session.Options.DestroyFinishedTasks).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After an HTTP error or a broken connection: the task's failure as <see cref="XenApiException"/> when it failed
    /// (XAPI writes the real error code there), else <paramref name="fallback"/>. Always releases the task.
    /// </summary>
    public async Task<Exception> FailureAsync(Exception fallback, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_completionTimeout);
        var finished = false;
        try
        {
            await _session.WaitForTaskAsync(Ref, timeout.Token).ConfigureAwait(false);
            finished = true;
            return fallback; // the task claims success, yet the transfer failed
        }
        catch (XenApiException e)
        {
            finished = true;
            return e;
        }
        catch (Exception e) when (e is OperationCanceledException or XenApiConnectionException or InvalidOperationException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return fallback;
        }
        finally
        {
            await ReleaseAsync(cancel: !finished, destroy: !finished || !_session.Options.DestroyFinishedTasks).ConfigureAwait(false);
        }
    }

    /// <summary>The transfer is abandoned (caller cancelled or disposed early): <c>task.cancel</c>, then <c>task.destroy</c>. Never throws.</summary>
    public Task AbandonAsync() => ReleaseAsync(cancel: true, destroy: true);

    internal static Uri Authority(Uri server) => new(server.GetLeftPart(UriPartial.Authority));

    private async Task ReleaseAsync(bool cancel, bool destroy)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        using var grace = new CancellationTokenSource(GracePeriod);
        if (cancel)
        {
            await QuietlyAsync("task.cancel", () => _session.Tasks.CancelAsync(Ref, grace.Token)).ConfigureAwait(false);
        }

        if (destroy)
        {
            await QuietlyAsync("task.destroy", () => _session.Tasks.DestroyAsync(Ref, grace.Token)).ConfigureAwait(false);
        }
    }

    private async Task QuietlyAsync(string what, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // Already finished, destroyed or the session is gone: nothing left to clean up from here.
            _session.Options.Trace?.Invoke(what + " of a transfer task failed: " + (e is XenApiException x ? x.ErrorCode : e.GetType().Name));
        }
    }
}
