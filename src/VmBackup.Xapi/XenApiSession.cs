using VmBackup.Xapi.Classes;
using VmBackup.Xapi.Rpc;
using VmBackup.Xapi.Tls;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi;

/// <summary>
/// A logged-in XenAPI session on a pool master: the generic call API (<see cref="CallAsync{T}"/>), the typed class
/// APIs (<see cref="Vm"/>, <see cref="Vdi"/>, …) and task waiting (<see cref="WaitForTaskAsync(XenRef{Records.TaskRecord}, CancellationToken)"/>).
/// </summary>
/// <remarks>
/// <para>Thread-safe: calls may run concurrently over the pooled, keep-alive connections of one handler.</para>
/// <para>
/// Credentials: the password is kept in memory only while re-login is possible
/// (<see cref="XenApiClientOptions.ReloginOnSessionInvalid"/>, one automatic re-login per <c>SESSION_INVALID</c>, like
/// XenAPI.py) and dropped at <see cref="LogoutAsync"/>/<see cref="DisposeAsync"/>. Neither the password nor the session
/// reference ever appears in exception messages, traces or <see cref="ToString"/>.
/// </para>
/// </remarks>
public sealed partial class XenApiSession : IAsyncDisposable
{
    private const string LoginMethod = "session.login_with_password";

    private readonly HttpClient _http;
    private readonly TlsPolicy _tls;
    private readonly RpcChannel _channel;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private string? _password;
    private string _sessionId;
    private int _state; // 0 = logged in, 1 = logged out, 2 = disposed

    private XenApiSession(RpcChannel channel, HttpClient http, TlsPolicy tls, XenApiClientOptions options, string userName, string password, string sessionId)
    {
        _channel = channel;
        _http = http;
        _tls = tls;
        Options = options;
        UserName = userName;
        _password = options.ReloginOnSessionInvalid ? password : null;
        _sessionId = sessionId;
        Pool = new PoolApi(this);
        Host = new HostApi(this);
        Vm = new VmApi(this);
        VmMetrics = new VmMetricsApi(this);
        Vbd = new VbdApi(this);
        Vdi = new VdiApi(this);
        Sr = new SrApi(this);
        Vif = new VifApi(this);
        Network = new NetworkApi(this);
        Tasks = new TaskApi(this);
        Events = new EventApi(this);
    }

    /// <summary>The options the session was opened with.</summary>
    public XenApiClientOptions Options { get; }

    /// <summary>The user name the session logged in with.</summary>
    public string UserName { get; }

    /// <summary>Scheme, host and port of the pool master this session talks to (after any <c>HOST_IS_SLAVE</c> redirect), with a trailing slash.</summary>
    public Uri ServerUri => _channel.BaseUri;

    /// <summary>The protocol in use (<see cref="XenApiProtocol.Auto"/> only before the first reply decided it).</summary>
    public XenApiProtocol Protocol => _channel.Protocol;

    /// <summary>
    /// The session reference (<c>OpaqueRef:…</c>), for HTTP transfers (<c>session_id</c>). It is a bearer credential:
    /// do not log it. Changes when the session re-logs in.
    /// </summary>
    public string SessionId => Volatile.Read(ref _sessionId);

    /// <summary>The pooled client (TLS policy applied) shared by the RPCs; usable for HTTP transfers. Owned by the session.</summary>
    public HttpClient HttpClient => _http;

    /// <summary>Whether the session is still logged in (not logged out or disposed).</summary>
    public bool IsLoggedIn => Volatile.Read(ref _state) == 0;

    /// <summary><c>pool</c> calls.</summary>
    public PoolApi Pool { get; }

    /// <summary><c>host</c> calls.</summary>
    public HostApi Host { get; }

    /// <summary><c>VM</c> calls.</summary>
    public VmApi Vm { get; }

    /// <summary><c>VM_metrics</c> calls.</summary>
    public VmMetricsApi VmMetrics { get; }

    /// <summary><c>VBD</c> calls.</summary>
    public VbdApi Vbd { get; }

    /// <summary><c>VDI</c> calls.</summary>
    public VdiApi Vdi { get; }

    /// <summary><c>SR</c> calls.</summary>
    public SrApi Sr { get; }

    /// <summary><c>VIF</c> calls.</summary>
    public VifApi Vif { get; }

    /// <summary><c>network</c> calls.</summary>
    public NetworkApi Network { get; }

    /// <summary><c>task</c> calls.</summary>
    public TaskApi Tasks { get; }

    /// <summary><c>event</c> calls.</summary>
    public EventApi Events { get; }

    /// <summary>
    /// Connects and logs in with <c>session.login_with_password(user, password, "1.1", originator)</c> (retried with the
    /// two-parameter form on <c>MESSAGE_PARAMETER_COUNT_MISMATCH</c>). On <c>HOST_IS_SLAVE [master]</c> it reconnects
    /// once to the master's address, keeping scheme and port.
    /// </summary>
    /// <param name="server">The host, e.g. <c>https://xen1.example:443</c>; only scheme, host and port are used.</param>
    /// <param name="userName">The XAPI user (e.g. <c>root</c>).</param>
    /// <param name="password">The password; never logged nor put in exception text.</param>
    /// <param name="options">Connection options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <exception cref="XenApiException">XAPI refused the login (e.g. <c>SESSION_AUTHENTICATION_FAILED</c>).</exception>
    /// <exception cref="XenApiConnectionException">The server cannot be reached, its certificate is refused, or it does not speak XenAPI.</exception>
    public static async Task<XenApiSession> ConnectAsync(Uri server, string userName, string password, XenApiClientOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The XAPI server must be an absolute http:// or https:// URI.", nameof(server));
        }

        options ??= new XenApiClientOptions();
        var tls = new TlsPolicy(options.TlsFingerprint, options.AllowInsecure);
#pragma warning disable CA2000 // Ownership passes to the HttpClient, then to the session; the catch below disposes it on failure.
        var handler = tls.CreateHandler(options.ConnectTimeout);
#pragma warning restore CA2000
        HttpClient? http = null;
        try
        {
            http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            var channel = new RpcChannel(server, http, options, tls);
            string sessionId;
            try
            {
                sessionId = await LoginAsync(channel, userName, password, options, cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HostIsSlave && e.ErrorParameters.Count > 0 && e.ErrorParameters[0].Length > 0)
            {
                var master = new UriBuilder(channel.BaseUri) { Host = e.ErrorParameters[0] }.Uri;
                options.Trace?.Invoke("HOST_IS_SLAVE: reconnecting to the pool master " + master.GetLeftPart(UriPartial.Authority));
                channel = new RpcChannel(master, http, options, tls);
                sessionId = await LoginAsync(channel, userName, password, options, cancellationToken).ConfigureAwait(false);
            }

            return new XenApiSession(channel, http, tls, options, userName, password, sessionId);
        }
        catch
        {
            if (http is null)
            {
                handler.Dispose();
            }
            else
            {
                http.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Creates a new handler with this session's TLS policy (pin or insecure opt-out), for transfers that need their own
    /// connection pool. The caller owns and disposes it.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() => _tls.CreateHandler(Options.ConnectTimeout);

    /// <summary>Logs out (<c>session.logout</c>) and forgets the password. Idempotent; an already invalid session is not an error.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        _password = null;
        try
        {
            await _channel.InvokeAsync("session.logout", [SessionId], cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.SessionInvalid)
        {
            // Already gone: the goal of logging out is reached.
        }
    }

    /// <summary>Logs out (best effort, at most 10 s) and releases the connections. Never throws for a failed logout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 2)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await LogoutAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException)
        {
            Options.Trace?.Invoke("session.logout during dispose failed: " + e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _state, 2);
            _password = null;
            _http.Dispose();
            _loginLock.Dispose();
        }
    }

    /// <summary>User and server, never the password or session reference.</summary>
    public override string ToString() => "XenApiSession " + UserName + "@" + ServerUri.GetLeftPart(UriPartial.Authority) + " (" + Protocol + ")";

    private static async Task<string> LoginAsync(RpcChannel channel, string userName, string password, XenApiClientOptions options, CancellationToken cancellationToken)
    {
        object? result;
        try
        {
            try
            {
                result = await channel.InvokeAsync(LoginMethod, [userName, password, "1.1", options.Originator], cancellationToken).ConfigureAwait(false);
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.MessageParameterCountMismatch)
            {
                result = await channel.InvokeAsync(LoginMethod, [userName, password], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (XenApiException e) when (password.Length > 0 && e.ErrorParameters.Any(p => p.Contains(password, StringComparison.Ordinal)))
        {
            // A server must never echo the password; if one does, it must not reach our caller's logs.
            throw new XenApiException(e.ErrorCode, e.ErrorParameters.Select(p => p.Replace(password, "***", StringComparison.Ordinal)).ToArray(), e.MethodName);
        }

        var sessionId = result as string;
        if (string.IsNullOrEmpty(sessionId))
        {
            throw new XenApiConnectionException(
                channel.BaseUri.GetLeftPart(UriPartial.Authority) + " answered " + LoginMethod + " with " + XenValueConverter.Describe(result) + " instead of a session reference.",
                channel.BaseUri);
        }

        return sessionId;
    }

    private async Task ReloginAsync(string staleSessionId, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!string.Equals(SessionId, staleSessionId, StringComparison.Ordinal))
            {
                return; // another caller already logged in again
            }

            var password = _password ?? throw new InvalidOperationException("The session has no credentials to log in again.");
            Options.Trace?.Invoke("SESSION_INVALID: logging in again");
            var fresh = await LoginAsync(_channel, UserName, password, Options, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sessionId, fresh);
        }
        finally
        {
            _loginLock.Release();
        }
    }
}
