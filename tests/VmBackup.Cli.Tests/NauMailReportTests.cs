using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary>The e-mail report of a config-mode run, from the NAUbackup command line to a real SMTP server.</summary>
public sealed class NauMailReportTests : IDisposable
{
    private readonly NauBackupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ConfigRun_WithMailKeys_MailsTheRunReportWithHostnameInTheSubject()
    {
        await using var smtp = await SmtpCaptureServer.StartAsync();
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await _h.RunConfigAsync(
            sim,
            "vm-export=DEV-test",
            "mail_smtp_server=127.0.0.1",
            $"mail_smtp_port={smtp.Port}",
            "mail_from=backup@example.com",
            "mail_to=admin@example.com, ops@example.com");

        exit.ShouldBe(0, string.Join('\n', lines));
        lines.ShouldContain(l => l.Contains("e-mail report sent to", StringComparison.Ordinal));
        await smtp.WaitForAsync("message", 1);
        var message = smtp.Messages.ShouldHaveSingleItem();
        message.GetProperty("to").GetArrayLength().ShouldBe(2);
        var data = message.GetProperty("data").GetString()!;
        data.ShouldContain("\r\nSubject: Success xs1.example.org VmBackup.py\r\n");
        data.ShouldContain(",vm-export,xs1,end,SUCCESS DEV-test,");
        data.ShouldContain("VmBackup ended - Success - S:1 W:0 E:0");
    }

    [Fact]
    public async Task ConfigRun_WithIncompleteMailKeys_IsRefusedBeforeAnyBackup()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=DEV-test", "mail_smtp_server=127.0.0.1");

        exit.ShouldBe(1);
        lines.ShouldContain(l => l.Contains("mail_to", StringComparison.Ordinal));
        Directory.Exists(_h.VmDir("DEV-test")).ShouldBeFalse();
    }
}
