using System.Net.Mail;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Config;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Checks the <c>mail_*</c> extension keys together and turns them into <see cref="SmtpReportOptions"/>. The
/// parser has already checked each value on its own (port range, True/False); this checks the combination.
/// </summary>
public static class SmtpReportSettings
{
    /// <summary>Port 587 (submission): STARTTLS is on when <c>mail_smtp_starttls</c> is unset.</summary>
    public const int SubmissionPort = 587;

    /// <summary>Port 465 (implicit TLS, SMTPS): refused.</summary>
    public const int ImplicitTlsPort = 465;

    /// <summary>True when <c>mail_smtp_server</c> is set: the run ends with an e-mail report.</summary>
    public static bool IsEnabled(NauExtensionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.MailSmtpServer is not null;
    }

    /// <summary>
    /// One raw <c>ERROR config &lt;key&gt; …</c> line per problem, naming the key; empty when the keys are usable
    /// or when no mail key is set at all (no report).
    /// </summary>
    public static IReadOnlyList<NauLogLine> Validate(NauExtensionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<NauLogLine>();
        var anyMailKey = settings.MailSmtpServer is not null || settings.MailSmtpPort is not null || settings.MailSmtpStartTls is not null
            || settings.MailSmtpUser is not null || settings.MailSmtpPasswordFile is not null || settings.MailFrom is not null
            || settings.MailTo is not null;
        if (!anyMailKey)
        {
            return errors;
        }

        if (string.IsNullOrWhiteSpace(settings.MailSmtpServer))
        {
            errors.Add(Error("config mail_smtp_server missing: other mail_* keys are set, but no SMTP server to send the report to"));
            return errors;
        }

        if (settings.MailSmtpServer.Any(c => char.IsWhiteSpace(c) || c == '/') || settings.MailSmtpServer.Count(c => c == ':') == 1)
        {
            errors.Add(Error($"config mail_smtp_server invalid -> {settings.MailSmtpServer} (expected a host name or address, without port: use mail_smtp_port)"));
        }

        if (settings.MailSmtpPort == ImplicitTlsPort)
        {
            errors.Add(Error($"config mail_smtp_port invalid -> {ImplicitTlsPort} (implicit TLS/SMTPS is not supported: use {SubmissionPort} with mail_smtp_starttls=True)"));
        }

        if (settings.MailFrom is null)
        {
            errors.Add(Error("config mail_from missing: mail_smtp_server is set, so the report needs a sender address"));
        }
        else if (!IsAddress(settings.MailFrom))
        {
            errors.Add(Error($"config mail_from invalid -> {settings.MailFrom} (expected an e-mail address such as backup@example.com)"));
        }

        if (settings.MailTo is null || settings.MailTo.Count == 0)
        {
            errors.Add(Error("config mail_to missing: mail_smtp_server is set, so the report needs one or more recipients"));
        }
        else
        {
            foreach (var to in settings.MailTo.Where(to => !IsAddress(to)))
            {
                errors.Add(Error($"config mail_to invalid -> {to} (expected comma-separated e-mail addresses such as admin@example.com)"));
            }
        }

        if (settings.MailSmtpUser is not null && settings.MailSmtpPasswordFile is null)
        {
            errors.Add(Error("config mail_smtp_password_file missing: mail_smtp_user is set, so SMTP AUTH needs a password file"));
        }
        else if (settings.MailSmtpUser is null && settings.MailSmtpPasswordFile is not null)
        {
            errors.Add(Error("config mail_smtp_user missing: mail_smtp_password_file is set, so SMTP AUTH needs a user"));
        }

        if (settings.MailSmtpUser is not null && !StartTls(settings))
        {
            errors.Add(Error("config mail_smtp_starttls must be True with mail_smtp_user (VmBackup never sends the SMTP password unencrypted)"));
        }

        return errors;
    }

    /// <summary>The options for a valid, enabled configuration; the <see cref="Validate"/> lines otherwise.</summary>
    public static NauParseResult<SmtpReportOptions> FromSettings(NauExtensionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            return NauParseResult<SmtpReportOptions>.ForError(errors);
        }

        if (!IsEnabled(settings))
        {
            return NauParseResult<SmtpReportOptions>.ForError("ERROR config mail_smtp_server missing: no e-mail report is configured");
        }

        return NauParseResult<SmtpReportOptions>.ForValue(new SmtpReportOptions
        {
            Server = settings.MailSmtpServer!.Trim(),
            Port = settings.MailSmtpPort ?? 25,
            StartTls = StartTls(settings),
            User = settings.MailSmtpUser,
            PasswordFile = settings.MailSmtpPasswordFile,
            From = settings.MailFrom!,
            To = settings.MailTo!,
        });
    }

    private static bool StartTls(NauExtensionSettings settings) =>
        settings.MailSmtpStartTls ?? settings.MailSmtpPort == SubmissionPort;

    /// <summary>A bare address (<c>user@domain</c>), no display name, no angle brackets, no line breaks.</summary>
    internal static bool IsAddress(string value) =>
        MailAddress.TryCreate(value, out var address)
        && string.Equals(address.Address, value, StringComparison.Ordinal)
        && string.IsNullOrEmpty(address.DisplayName)
        && !value.Any(c => c is '<' or '>' or '\r' or '\n' or ' ');

    private static NauLogLine Error(string message) => NauLogLine.Raw("ERROR " + message);
}
