using XapiSim.Http;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// One data-plane request as xapi's <c>Xapi_http.with_context</c> runs it: authentication (<c>session_id</c> cookie or
/// query, else HTTP Basic with a temporary session logged out at the end, else 401 and a failed task), the task
/// (the client's <c>task_id</c>, else an own task announced in the <c>task-id</c> header), progress, cancellation and
/// the final result or error. Dispose to log out a temporary session.
/// </summary>
internal sealed class Transfer : IDisposable
{
    private readonly HttpExchange _exchange;
    private readonly bool _temporarySession;
    private long _lastProgressTicks;

    private Transfer(HttpExchange exchange, SimulatedPool pool, string session, bool temporary, string task, bool ownTask)
    {
        _exchange = exchange;
        Pool = pool;
        Session = session;
        _temporarySession = temporary;
        Task = task;
        OwnTask = ownTask;
        Faults = TransferFaults.For(pool);
        _lastProgressTicks = pool.Time.GetTimestamp();
    }

    public SimulatedPool Pool { get; }

    public string Session { get; }

    /// <summary>The task this transfer drives.</summary>
    public string Task { get; }

    /// <summary>True when the handler created the task (no <c>task_id</c> given).</summary>
    public bool OwnTask { get; }

    public TransferFaults Faults { get; }

    public HttpExchange Exchange => _exchange;

    /// <summary>The host that received the request.</summary>
    public string LocalHost => Pool.HostForAddress(_exchange.LocalEndPoint?.Address);

    /// <summary>
    /// xapi's <c>assert_credentials_ok</c>: a live <c>session_id</c> (cookie or query), else HTTP Basic (a temporary
    /// session). Returns null after answering 401 with <c>WWW-Authenticate: Basic realm="label"</c>; the given task (or a
    /// new one) is failed with <c>SESSION_AUTHENTICATION_FAILED</c>.
    /// </summary>
    public static async ValueTask<TransferCredentials?> AuthenticateAsync(HttpExchange exchange, SimulatedPool pool, string label, CancellationToken cancellationToken)
    {
        var host = pool.HostForAddress(exchange.LocalEndPoint?.Address);
        var sessionParam = exchange.GetParameter("session_id");
        if (sessionParam is not null)
        {
            if (pool.IsSessionValid(sessionParam))
            {
                return new TransferCredentials(sessionParam, false);
            }
        }
        else if (exchange.TryGetBasicCredentials(out var user, out var password))
        {
            if (pool.CheckPassword(user, password))
            {
                return new TransferCredentials(pool.CreateSession(user, host, "HTTP client using Basic auth"), true);
            }

            if (pool.AuthenticationFailureDelay > TimeSpan.Zero)
            {
                await System.Threading.Tasks.Task.Delay(pool.AuthenticationFailureDelay, pool.Time, cancellationToken).ConfigureAwait(false);
            }
        }

        var taskParam = exchange.GetParameter("task_id");
        var failed = taskParam is not null && pool.Database.Exists(taskParam, "task") ? taskParam : pool.CreateTask(label, string.Empty, null, host);
        pool.FailTask(failed, new XenApiFailure("SESSION_AUTHENTICATION_FAILED"));
        await exchange.RespondUnauthorizedAsync(label, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// xapi's <c>with_context</c>: takes over the client's <c>task_id</c> (progress 0.0 says so) or creates an own task.
    /// </summary>
    public static Transfer Start(HttpExchange exchange, SimulatedPool pool, TransferCredentials credentials, string label)
    {
        var host = pool.HostForAddress(exchange.LocalEndPoint?.Address);
        var taskParam = exchange.GetParameter("task_id");
        var existing = taskParam is not null && pool.Database.Exists(taskParam, "task") ? taskParam : null;
        var task = existing ?? pool.CreateTask(label, string.Empty, credentials.Session, host);
        pool.ClaimTask(task);
        pool.SetTaskProgress(task, 0.0);
        return new Transfer(exchange, pool, credentials.Session, credentials.Temporary, task, existing is null);
    }

    /// <summary>Authenticates then starts; null after a 401.</summary>
    public static async ValueTask<Transfer?> BeginAsync(HttpExchange exchange, SimulatedPool pool, string label, CancellationToken cancellationToken)
    {
        var credentials = await AuthenticateAsync(exchange, pool, label, cancellationToken).ConfigureAwait(false);
        return credentials is null ? null : Start(exchange, pool, credentials, label);
    }

    /// <summary>
    /// Sets the 200 head xapi's <c>http_200_ok ~keep_alive:false</c> writes: the status line (<paramref name="version"/>),
    /// <c>Connection: close</c>, <c>Cache-Control: no-cache, no-store</c>, then <c>task-id</c> and <paramref name="extra"/>.
    /// The body is close-delimited unless a <c>Content-Length</c> is among <paramref name="extra"/>.
    /// </summary>
    public void PrepareOk(string version, params (string Name, string Value)[] extra)
    {
        _exchange.StatusCode = 200;
        _exchange.ReasonPhrase = "OK";
        _exchange.ResponseVersion = version;
        _exchange.ResponseContentLength = null;
        _exchange.CloseConnection = true;
        _exchange.ResponseHeaders.Add("Connection", "close");
        _exchange.ResponseHeaders.Add("Cache-Control", "no-cache, no-store");
        _exchange.ResponseHeaders.Add("task-id", Task);
        foreach (var (name, value) in extra)
        {
            _exchange.ResponseHeaders.Add(name, value);
        }
    }

    /// <summary>Throws the <see cref="TransferFaults.FailTaskWith"/> error when armed.</summary>
    public void ApplyFailFault()
    {
        if (Faults.FailTaskWith is { Count: > 0 } error)
        {
            throw new XenApiFailure(error[0], [.. error.Skip(1)]);
        }
    }

    /// <summary>Throws <see cref="TransferCancelledException"/> when someone called <c>task.cancel</c>.</summary>
    public void ThrowIfCancelled()
    {
        if (Pool.IsTaskCancelling(Task))
        {
            throw new TransferCancelledException();
        }
    }

    /// <summary>Checks for cancellation and sets the progress to done/total, at most once per <see cref="TransferFaults.ProgressInterval"/>.</summary>
    public void Progress(long done, long total, double scale = 1.0)
    {
        ThrowIfCancelled();
        var now = Pool.Time.GetTimestamp();
        if (Pool.Time.GetElapsedTime(_lastProgressTicks, now) < Faults.ProgressInterval)
        {
            return;
        }

        _lastProgressTicks = now;
        var fraction = total <= 0 ? 0.0 : Math.Clamp((double)done / total, 0.0, 1.0) * scale;
        Pool.SetTaskProgress(Task, Math.Min(fraction, 0.99));
    }

    /// <summary>Completes the task with <paramref name="result"/> (null = void).</summary>
    public void Complete(object? result) => Pool.CompleteTask(Task, result);

    /// <summary>Fails the task.</summary>
    public void Fail(XenApiFailure failure) => Pool.FailTask(Task, failure);

    /// <summary>
    /// Runs <paramref name="body"/> with xapi's error handling: an API error before the headers gives the HTML 500 (the code
    /// goes to the task), after them the connection is dropped; a cancelled task fails with <c>TASK_CANCELLED</c> and the
    /// connection is dropped; other exceptions fail the task with <c>INTERNAL_ERROR</c> (or what <paramref name="map"/> says).
    /// </summary>
    public async ValueTask RunAsync(Func<ValueTask> body, Func<Exception, XenApiFailure?>? map, CancellationToken cancellationToken)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (TransferCancelledException)
        {
            Fail(new XenApiFailure("TASK_CANCELLED", Task));
            _exchange.CloseConnection = true;
            if (!_exchange.HeadersSent)
            {
                await RespondErrorAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = e as XenApiFailure ?? map?.Invoke(e) ?? new XenApiFailure("INTERNAL_ERROR", e.Message);
            Fail(failure);
            _exchange.CloseConnection = true;
            if (!_exchange.HeadersSent)
            {
                await RespondErrorAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            throw;
        }
    }

    private ValueTask RespondErrorAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _exchange.ResponseHeaders.Select(h => h.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList())
        {
            _exchange.ResponseHeaders.Remove(name);
        }

        _exchange.ResponseVersion = "1.1";
        _exchange.ResponseContentLength = null;
        return _exchange.RespondInternalErrorAsync(null, cancellationToken);
    }

    public void Dispose()
    {
        if (_temporarySession)
        {
            Pool.DestroySession(Session);
        }
    }
}
