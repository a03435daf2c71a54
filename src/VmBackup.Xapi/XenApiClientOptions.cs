namespace VmBackup.Xapi;

/// <summary>
/// How a <see cref="XenApiSession"/> connects. Immutable once handed to
/// <see cref="XenApiSession.ConnectAsync(Uri, string, string, XenApiClientOptions?, CancellationToken)"/>.
/// Holds no secret: the password is passed to <c>ConnectAsync</c> separately.
/// </summary>
public sealed record XenApiClientOptions
{
    /// <summary>The wire protocol.</summary>
    /// <value>The default value is <see cref="XenApiProtocol.Auto"/> (JSON-RPC, XML-RPC fallback).</value>
    public XenApiProtocol Protocol { get; init; } = XenApiProtocol.Auto;

    /// <summary>
    /// SHA-256 fingerprint(s) of the server certificate to accept instead of the system trust store, for XAPI's
    /// self-signed certificates. Accepted forms: <c>AA:BB:…</c> or plain hex, case-insensitive; several pins (a pool
    /// whose members have their own certificates) may be separated by commas or whitespace. A pin replaces the chain
    /// check; a certificate whose fingerprint is not pinned is refused.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the chain is verified against the system store.</value>
    public string? TlsFingerprint { get; init; }

    /// <summary>Accept any server certificate. For labs only; it defeats TLS authentication.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecure { get; init; }

    /// <summary>
    /// Receives one line per RPC: method name, duration and outcome (error code). Never arguments, passwords or
    /// session references. Called on the thread that completed the call; must not throw.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no tracing).</value>
    public Action<string>? Trace { get; init; }

    /// <summary>The <c>originator</c> sent with <c>session.login_with_password</c>.</summary>
    /// <value>The default value is <c>"VmBackup"</c>.</value>
    public string Originator { get; init; } = "VmBackup";

    /// <summary>
    /// Keep the password in memory after login so that the session can log in again once when XAPI answers
    /// <c>SESSION_INVALID</c> (as XenAPI.py does). It is dropped at logout/dispose. When <see langword="false"/>,
    /// the password is dropped as soon as the first login succeeds and <c>SESSION_INVALID</c> is thrown to the caller.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ReloginOnSessionInvalid { get; init; } = true;

    /// <summary>Maximum time one RPC (including a blocking <c>event.from</c>) may take before it is abandoned.</summary>
    /// <value>The default value is 5 minutes. It must exceed <see cref="EventFromTimeout"/>.</value>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Maximum time to open a TCP (and TLS) connection.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long each <c>event.from</c> call of <see cref="XenApiSession.WaitForTaskAsync(XenRef{Records.TaskRecord}, CancellationToken)"/>
    /// may block server side. Sent as a double that is not an integer (XAPI only accepts floats as
    /// <c>&lt;double&gt;</c>), so 0.1 s is added to whole-second values, like Xen Orchestra.
    /// </summary>
    /// <value>The default value is 30 seconds (sent as 30.1).</value>
    public TimeSpan EventFromTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Destroy a task once <c>WaitForTaskAsync</c> has read its outcome (XAPI keeps finished tasks otherwise).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DestroyFinishedTasks { get; init; } = true;
}
