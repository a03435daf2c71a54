namespace VmBackup.Core.Nau.Config;

/// <summary>
/// VmBackup's additional config keys (not in v3.25, where they would be unknown keys): e-mail report and
/// compression. All optional; null when not set. See docs/naubackup-compatibility.md.
/// </summary>
public sealed record NauExtensionSettings
{
    /// <summary>No extension key set.</summary>
    public static NauExtensionSettings None { get; } = new();

    /// <summary><c>compress=False|True|zstd</c> (the command-line <c>compress=</c> wins).</summary>
    public CommandLine.NauCompression? Compress { get; init; }

    /// <summary><c>mail_smtp_server</c>: SMTP host name.</summary>
    public string? MailSmtpServer { get; init; }

    /// <summary><c>mail_smtp_port</c>: 1-65535 (25 when unset).</summary>
    public int? MailSmtpPort { get; init; }

    /// <summary><c>mail_smtp_starttls=True|False</c>.</summary>
    public bool? MailSmtpStartTls { get; init; }

    /// <summary><c>mail_smtp_user</c>: SMTP AUTH user.</summary>
    public string? MailSmtpUser { get; init; }

    /// <summary><c>mail_smtp_password_file</c>: base64 password file, same encoding as the XenServer password file.</summary>
    public string? MailSmtpPasswordFile { get; init; }

    /// <summary><c>mail_from</c>.</summary>
    public string? MailFrom { get; init; }

    /// <summary><c>mail_to</c>: comma-separated addresses (like v3.25's MAIL_TO_ADDR).</summary>
    public IReadOnlyList<string>? MailTo { get; init; }

    /// <summary>True when at least one key was set.</summary>
    public bool Any =>
        Compress is not null || MailSmtpServer is not null || MailSmtpPort is not null || MailSmtpStartTls is not null
        || MailSmtpUser is not null || MailSmtpPasswordFile is not null || MailFrom is not null || MailTo is not null;
}
