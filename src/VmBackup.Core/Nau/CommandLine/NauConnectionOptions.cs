namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// VmBackup's connection options, accepted in addition to NAUbackup's positional words (they start with
/// <c>--</c> and therefore cannot clash). Unset values fall back to the environment, then to v3.25's fixed choices.
/// </summary>
/// <param name="Server">Pool master URL (<c>--server</c>, <c>VMBACKUP_SERVER</c>); null means the default.</param>
/// <param name="User">User name (<c>--user</c>, <c>VMBACKUP_USER</c>); null means the default.</param>
/// <param name="TlsFingerprint">SHA-256 fingerprint of the server certificate to pin (<c>--tls-fingerprint</c>).</param>
/// <param name="Insecure">Skip TLS certificate validation (<c>--insecure</c>).</param>
public sealed record NauConnectionOptions(string? Server, string? User, string? TlsFingerprint, bool Insecure)
{
    /// <summary>v3.25 always connects to <c>http://localhost/</c> (it runs in dom0).</summary>
    public const string DefaultServer = "https://localhost/";

    /// <summary>v3.25 always logs in as <c>root</c>.</summary>
    public const string DefaultUser = "root";

    /// <summary>No options given.</summary>
    public static NauConnectionOptions None { get; } = new(null, null, null, false);

    /// <summary>The server to use.</summary>
    public string EffectiveServer => Server ?? DefaultServer;

    /// <summary>The user to log in as.</summary>
    public string EffectiveUser => User ?? DefaultUser;
}
