using VmBackup.Core.Nau.Config;
using VmBackup.Core.Reporting;

namespace VmBackup.Core.Tests.Reporting;

public sealed class SmtpReportSettingsTests
{
    private static readonly NauExtensionSettings Minimal = new()
    {
        MailSmtpServer = "smtp.example.com",
        MailFrom = "backup@example.com",
        MailTo = ["admin@example.com"],
    };

    [Fact]
    public void Validate_NoMailKey_NoErrorAndDisabled()
    {
        SmtpReportSettings.Validate(NauExtensionSettings.None).ShouldBeEmpty();
        SmtpReportSettings.IsEnabled(NauExtensionSettings.None).ShouldBeFalse();
    }

    [Fact]
    public void FromSettings_Minimal_Port25NoTlsNoAuth()
    {
        var options = SmtpReportSettings.FromSettings(Minimal).GetValueOrThrow();

        options.Server.ShouldBe("smtp.example.com");
        options.Port.ShouldBe(25);
        options.StartTls.ShouldBeFalse();
        options.User.ShouldBeNull();
        options.Attempts.ShouldBe(3);
        options.RetryDelay.ShouldBe(TimeSpan.FromSeconds(5));
        options.TlsFingerprint.ShouldBeNull();
    }

    [Fact]
    public void FromSettings_Port587_StartTlsByDefault_UnlessFalse()
    {
        var submission = Minimal with { MailSmtpPort = 587, MailSmtpUser = "u", MailSmtpPasswordFile = "/etc/pw" };

        var options = SmtpReportSettings.FromSettings(submission).GetValueOrThrow();
        options.StartTls.ShouldBeTrue();
        options.User.ShouldBe("u");
        options.PasswordFile.ShouldBe("/etc/pw");
        SmtpReportSettings.FromSettings(Minimal with { MailSmtpPort = 587 }).GetValueOrThrow().StartTls.ShouldBeTrue();
        SmtpReportSettings.FromSettings(Minimal with { MailSmtpPort = 587, MailSmtpStartTls = false }).GetValueOrThrow().StartTls.ShouldBeFalse();
        SmtpReportSettings.FromSettings(Minimal with { MailSmtpStartTls = true }).GetValueOrThrow().StartTls.ShouldBeTrue();
    }

    public static TheoryData<NauExtensionSettings, string> Invalid => new()
    {
        { Minimal with { MailTo = null }, "ERROR config mail_to missing: mail_smtp_server is set, so the report needs one or more recipients" },
        { Minimal with { MailFrom = null }, "ERROR config mail_from missing: mail_smtp_server is set, so the report needs a sender address" },
        { new NauExtensionSettings { MailTo = ["a@example.com"] }, "ERROR config mail_smtp_server missing: other mail_* keys are set, but no SMTP server to send the report to" },
        { Minimal with { MailSmtpPort = 465 }, "ERROR config mail_smtp_port invalid -> 465 (implicit TLS/SMTPS is not supported: use 587 with mail_smtp_starttls=True)" },
        { Minimal with { MailSmtpServer = "smtp.example.com:587" }, null! },
        { Minimal with { MailFrom = "Backup <backup@example.com>" }, "ERROR config mail_from invalid -> Backup <backup@example.com> (expected an e-mail address such as backup@example.com)" },
        { Minimal with { MailTo = ["admin@example.com", "nobody"] }, "ERROR config mail_to invalid -> nobody (expected comma-separated e-mail addresses such as admin@example.com)" },
        { Minimal with { MailSmtpUser = "u", MailSmtpStartTls = true }, "ERROR config mail_smtp_password_file missing: mail_smtp_user is set, so SMTP AUTH needs a password file" },
        { Minimal with { MailSmtpPasswordFile = "/etc/pw", MailSmtpStartTls = true }, "ERROR config mail_smtp_user missing: mail_smtp_password_file is set, so SMTP AUTH needs a user" },
        { Minimal with { MailSmtpUser = "u", MailSmtpPasswordFile = "/etc/pw" }, "ERROR config mail_smtp_starttls must be True with mail_smtp_user (VmBackup never sends the SMTP password unencrypted)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadCombination_OneLineNamingTheKey(NauExtensionSettings settings, string? expected)
    {
        var errors = SmtpReportSettings.Validate(settings);

        var line = errors.ShouldHaveSingleItem();
        line.Timestamped.ShouldBeFalse();
        if (expected is null)
        {
            line.Message.ShouldStartWith("ERROR config mail_smtp_server invalid -> smtp.example.com:587 ");
        }
        else
        {
            line.Message.ShouldBe(expected);
        }

        SmtpReportSettings.FromSettings(settings).Success.ShouldBeFalse();
    }
}
