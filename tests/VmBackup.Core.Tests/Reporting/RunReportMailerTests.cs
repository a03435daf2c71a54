using VmBackup.TestKit;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Reporting;

namespace VmBackup.Core.Tests.Reporting;

/// <summary>The run engine's single call, from config keys to a message at a real SMTP server.</summary>
public sealed class RunReportMailerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vmbackup-mailer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SendAsync_NoMailKeys_NothingSentNoLines()
    {
        var result = await RunReportMailer.SendAsync(
            NauExtensionSettings.None, ReportSamples.Tally(1, 0, 0), ReportSamples.Host, Path.Combine(_folder, "status.log"), [], TimeProvider.System, CancellationToken.None);

        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(0);
        result.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_InvalidKeys_ErrorLinesNoAttempt()
    {
        var settings = new NauExtensionSettings { MailSmtpServer = "127.0.0.1", MailFrom = "backup@example.com" };

        var result = await RunReportMailer.SendAsync(
            settings, ReportSamples.Tally(1, 0, 0), ReportSamples.Host, Path.Combine(_folder, "status.log"), [], TimeProvider.System, CancellationToken.None);

        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(0);
        result.Lines.Select(l => l.Message).ShouldBe(
        [
            "ERROR config mail_to missing: mail_smtp_server is set, so the report needs one or more recipients",
            "WARNING e-mail report not sent: invalid mail_* config",
        ]);
    }

    [Fact]
    public async Task SendAsync_ServerRequiresAuthKeysHaveNoUser_ThreeAttemptsNoThrow()
    {
        // Given: a server that requires AUTH, and keys without mail_smtp_user
        await using var server = await SmtpCaptureServer.StartAsync("--user", "backup", "--password", "secret");
        var statusLog = Path.Combine(_folder, "status.log");
        await File.WriteAllLinesAsync(statusLog, ReportSamples.StatusLog);
        var settings = new NauExtensionSettings
        {
            MailSmtpServer = "127.0.0.1",
            MailSmtpPort = server.Port,
            MailFrom = "backup@example.com",
            MailTo = ["admin@example.com", "ops@example.com"],
        };

        // When
        var result = await RunReportMailer.SendAsync(
            settings, ReportSamples.Tally(1, 1, 0), ReportSamples.Host, statusLog, ["console line"], TimeProvider.System, CancellationToken.None);

        // Then: refused at MAIL FROM, three attempts, no throw
        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(3);
        result.Lines[0].Message.ShouldStartWith("Exception: SMTPException - MAIL FROM:<backup@example.com> refused: 530");
        server.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_ValidKeys_MessageWithSubjectAndThisRunsRecords()
    {
        await using var server = await SmtpCaptureServer.StartAsync();
        var statusLog = Path.Combine(_folder, "status.log");
        await File.WriteAllLinesAsync(statusLog, ReportSamples.StatusLog);
        var settings = new NauExtensionSettings
        {
            MailSmtpServer = "127.0.0.1",
            MailSmtpPort = server.Port,
            MailFrom = "backup@example.com",
            MailTo = ["admin@example.com", "ops@example.com"],
        };

        var result = await RunReportMailer.SendAsync(
            settings, ReportSamples.Tally(1, 1, 0), ReportSamples.Host, statusLog, ["console line"], TimeProvider.System, CancellationToken.None);

        result.Sent.ShouldBeTrue();
        await server.WaitForAsync("message", 1);
        var message = server.Messages.ShouldHaveSingleItem();
        message.GetProperty("to").GetArrayLength().ShouldBe(2);
        var data = message.GetProperty("data").GetString()!;
        data.ShouldContain("\r\nSubject: WARNING xen1.example.com VmBackup.py\r\n");
        data.ShouldContain("\r\n2026/11/21 01:09:01,vmbackup.py,xen1,end,WARNING,S:1 W:1 E:0\r\n");
        data.ShouldContain("\r\nconsole line\r\n");
        data.ShouldNotContain("2026/11/20");
    }
}
