namespace VmBackup.Core.Reporting;

/// <summary>
/// Where and how <see cref="SmtpReportSender"/> delivers a report. Built from the <c>mail_*</c> config keys by
/// <see cref="SmtpReportSettings.FromSettings"/>; holds the password file's path, never the password.
/// </summary>
public sealed record SmtpReportOptions
{
    /// <summary>SMTP host name or address (<c>mail_smtp_server</c>).</summary>
    public required string Server { get; init; }

    /// <summary>TCP port (<c>mail_smtp_port</c>).</summary>
    /// <value>The default value is 25, as v3.25's <c>smtplib.SMTP(server)</c>.</value>
    public int Port { get; init; } = 25;

    /// <summary>Upgrade the connection with STARTTLS before AUTH and MAIL (<c>mail_smtp_starttls</c>); fails when the server does not offer it.</summary>
    /// <value>The default value is false; <see cref="SmtpReportSettings.FromSettings"/> makes it true on port 587 when the key is unset.</value>
    public bool StartTls { get; init; }

    /// <summary>SMTP AUTH user (<c>mail_smtp_user</c>), or null for no authentication.</summary>
    public string? User { get; init; }

    /// <summary>The base64 password file (<c>mail_smtp_password_file</c>), read at each send; required with <see cref="User"/>.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Sender address (<c>mail_from</c>): envelope sender and <c>From</c> header.</summary>
    public required string From { get; init; }

    /// <summary>Recipients (<c>mail_to</c>): envelope recipients and the <c>To</c> header.</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>
    /// SHA-256 fingerprint(s) of the server certificate to trust instead of the system trust store (<c>AA:BB:…</c> or
    /// 64 hex digits, several separated by commas), for a server with a self-signed certificate. Checked on this
    /// connection only, never process-wide. Null: the system trust store and the host name decide.
    /// </summary>
    public string? TlsFingerprint { get; init; }

    /// <summary>Connections tried before giving up.</summary>
    /// <value>The default value is 3, as v3.25.</value>
    public int Attempts { get; init; } = 3;

    /// <summary>Pause after a failed attempt (not after the last one).</summary>
    /// <value>The default value is 5 seconds, as v3.25.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time limit of one attempt, from connect to the server's answer to the message.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The name sent with EHLO/HELO, or null for the report's full host name (<c>localhost</c> when that is not a host name).</summary>
    public string? ClientDomain { get; init; }
}
