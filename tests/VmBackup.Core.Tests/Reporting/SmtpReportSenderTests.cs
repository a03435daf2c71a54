using VmBackup.TestKit;
using System.Net;
using System.Net.Sockets;
using System.Text;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Reporting;

namespace VmBackup.Core.Tests.Reporting;

/// <summary><see cref="SmtpReportSender"/> against a real SMTP server (npm smtp-server) started by each test.</summary>
public sealed class SmtpReportSenderTests : IDisposable
{
    private const string Password = "pa55-wörd!";
    private readonly string _folder = Directory.CreateTempSubdirectory("vmbackup-smtp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SendAsync_PlainServer_DeliversSubjectHeadersAndBody()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync();
        var sender = new SmtpReportSender(Options(server.Port), TimeProvider.System);

        // When
        var result = await sender.SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeTrue();
        result.Attempts.ShouldBe(1);
        result.Lines.Select(l => l.Message).ShouldBe(["e-mail report sent to admin@example.com"]);
        await server.WaitForAsync("message", 1);
        var message = server.Messages.ShouldHaveSingleItem();
        message.GetProperty("from").GetString().ShouldBe("backup@example.com");
        message.GetProperty("to").EnumerateArray().Select(e => e.GetString()).ShouldBe(["admin@example.com"]);
        message.GetProperty("tls").GetBoolean().ShouldBeFalse();
        message.GetProperty("user").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var data = message.GetProperty("data").GetString()!;
        var lines = data.Split("\r\n");
        lines.ShouldContain("Subject: WARNING xen1.example.com VmBackup.py");
        lines.ShouldContain("From: backup@example.com");
        lines.ShouldContain("To: admin@example.com");
        lines.ShouldContain("Content-Type: text/plain; charset=utf-8");
        lines.ShouldContain("VmBackup run on xen1.example.com: WARNING - S:1 W:1 E:0");
        lines.ShouldContain("  SUCCESS web01,elapse:8 size:27G");
        lines.ShouldContain("  WARNING db01,elapse:1 size:2G");
        lines.ShouldContain("2026/11/21 01:00:00,vmbackup.py,xen1,begin");
        data.ShouldNotContain("vm-old");
        server.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_StartTlsLoginPinnedCertificate_ServerSeesTlsAndUser()
    {
        // Given
        using var certificate = new TestCertificate();
        await using var server = await SmtpCaptureServer.StartAsync([.. certificate.ServerArgs, "--user", "backup", "--password", Password]);
        var options = Options(server.Port) with
        {
            Port = server.Port,
            StartTls = true,
            User = "backup",
            PasswordFile = WritePasswordFile(Password),
            TlsFingerprint = certificate.Fingerprint,
        };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeTrue(string.Join('\n', result.Lines));
        await server.WaitForAsync("message", 1);
        var message = server.Messages.ShouldHaveSingleItem();
        message.GetProperty("tls").GetBoolean().ShouldBeTrue();
        message.GetProperty("user").GetString().ShouldBe("backup");
        var auth = server.AuthAttempts.ShouldHaveSingleItem();
        auth.GetProperty("ok").GetBoolean().ShouldBeTrue();
        auth.GetProperty("tls").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task SendAsync_WrongPassword_ThreeAttemptsThenWarningWithoutPassword()
    {
        // Given
        using var certificate = new TestCertificate();
        await using var server = await SmtpCaptureServer.StartAsync([.. certificate.ServerArgs, "--user", "backup", "--password", "right-one"]);
        var options = Options(server.Port) with
        {
            StartTls = true,
            User = "backup",
            PasswordFile = WritePasswordFile(Password),
            TlsFingerprint = certificate.Fingerprint,
        };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(3);
        await server.WaitForAsync("auth", 3);
        server.AuthAttempts.Count.ShouldBe(3);
        server.AuthAttempts.ShouldAllBe(a => !a.GetProperty("ok").GetBoolean());
        server.Messages.ShouldBeEmpty();
        result.Lines.Count.ShouldBe(4);
        result.Lines.Take(3).ShouldAllBe(l => !l.Timestamped && l.Message.StartsWith("Exception: SMTPException - authentication failed: 535", StringComparison.Ordinal));
        result.Lines[3].Timestamped.ShouldBeTrue();
        result.Lines[3].Message.ShouldStartWith("WARNING e-mail report not sent to admin@example.com via 127.0.0.1:");
        result.Lines[3].Message.ShouldContain("after 3 attempts");
        foreach (var line in result.Lines)
        {
            line.Message.ShouldNotContain(Password);
            line.Message.ShouldNotContain(NauPasswordFile.Encode(Password));
            line.Message.ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0backup\0" + Password)));
        }
    }

    [Fact]
    public async Task SendAsync_SelfSignedCertificateNotPinned_RefusedByDefault()
    {
        // Given
        using var certificate = new TestCertificate();
        await using var server = await SmtpCaptureServer.StartAsync([.. certificate.ServerArgs, "--user", "backup", "--password", Password]);
        var options = Options(server.Port) with { StartTls = true, User = "backup", PasswordFile = WritePasswordFile(Password), RetryDelay = TimeSpan.Zero };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(3);
        result.Lines[0].Message.ShouldStartWith("Exception: socket.error -  TLS certificate of 127.0.0.1 refused: it is not trusted");
        result.Lines[0].Message.ShouldContain(certificate.Fingerprint);
        server.AuthAttempts.ShouldBeEmpty();
        server.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_PinMismatch_Refused()
    {
        // Given
        using var certificate = new TestCertificate();
        await using var server = await SmtpCaptureServer.StartAsync(certificate.ServerArgs);
        var otherPin = string.Join(':', Enumerable.Repeat("AB", 32));
        var options = Options(server.Port) with { StartTls = true, TlsFingerprint = otherPin, Attempts = 1 };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Lines[0].Message.ShouldContain("does not match the pinned fingerprint");
        result.Lines[0].Message.ShouldContain(certificate.Fingerprint);
        server.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_StartTlsRequestedButNotOffered_SmtpException()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync();
        var options = Options(server.Port) with { StartTls = true, Attempts = 1 };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Lines[0].Message.ShouldBe("Exception: SMTPException - STARTTLS extension not supported by server.");
        server.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_SeveralRecipients_OneMessageToAll_RefusedOneReported()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync("--refuse-rcpt", "gone@example.com");
        var options = Options(server.Port) with { To = ["admin@example.com", "ops@example.org", "gone@example.com", "boss@example.net", "security-team@example.com"] };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeTrue();
        await server.WaitForAsync("message", 1);
        var message = server.Messages.ShouldHaveSingleItem();
        message.GetProperty("to").EnumerateArray().Select(e => e.GetString()).ShouldBe(["admin@example.com", "ops@example.org", "boss@example.net", "security-team@example.com"]);
        var data = message.GetProperty("data").GetString()!;
        data.ShouldContain("\r\nTo: admin@example.com, ops@example.org, gone@example.com, boss@example.net,\r\n security-team@example.com\r\n");
        result.Lines.Select(l => l.Message).ShouldBe(
        [
            "WARNING e-mail report refused for gone@example.com",
            "e-mail report sent to admin@example.com, ops@example.org, boss@example.net, security-team@example.com",
        ]);
    }

    [Fact]
    public async Task SendAsync_ServerDown_ThreeAttemptsFiveSecondsApartWithSocketErrorLines()
    {
        // Given: a port nobody listens on
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var time = new DelayRecordingTimeProvider(TimeSpan.FromSeconds(5));
        var options = new SmtpReportOptions { Server = "127.0.0.1", Port = port, From = "backup@example.com", To = ["admin@example.com"] };

        // When
        var result = await new SmtpReportSender(options, time).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(3);
        result.Lines.Take(3).Select(l => l.Message).ShouldAllBe(m => m == "Exception: socket.error -  Connection refused");
        result.Lines.Take(3).ShouldAllBe(l => !l.Timestamped);
        result.Lines[3].Message.ShouldBe(
            $"WARNING e-mail report not sent to admin@example.com via 127.0.0.1:{port} after 3 attempts: socket.error -  Connection refused");
        time.DueTimes.Count(t => t == TimeSpan.FromSeconds(5)).ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_FirstConnectionRefused_SecondAttemptDelivers()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync("--fail-connections", "1");
        var options = Options(server.Port);

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeTrue();
        result.Attempts.ShouldBe(2);
        result.Lines[0].Message.ShouldBe("Exception: SMTPException - Connection refused by server: 421 Service not available, try again later");
        result.Lines[1].Message.ShouldBe("e-mail report sent to admin@example.com");
        await server.WaitForAsync("message", 1);
        server.Connections.ShouldBe(2);
        server.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_NonAsciiVmName_Base64BodyAndEncodedSubject()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync();
        var log = new[] { "2026/11/21 01:00:00,vmbackup.py,xen1,begin", "2026/11/21 01:08:00,vm-export,xen1,end,SUCCESS Büro-Server,elapse:8 size:1G" };
        var report = RunReportComposer.Compose(ReportSamples.Tally(1, 0, 0), "hôte.example.com", log, []);

        // When
        var result = await new SmtpReportSender(Options(server.Port), TimeProvider.System).SendAsync(report, CancellationToken.None);

        // Then
        result.Sent.ShouldBeTrue();
        await server.WaitForAsync("message", 1);
        var data = server.Messages.ShouldHaveSingleItem().GetProperty("data").GetString()!;
        data.ShouldContain("Content-Transfer-Encoding: base64\r\n");
        data.ShouldContain("Subject: =?utf-8?B?");
        var encoded = data[(data.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Replace("\r\n", string.Empty, StringComparison.Ordinal);
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        body.ShouldContain("  SUCCESS Büro-Server,elapse:8 size:1G");
        body.ShouldStartWith("VmBackup run on hôte.example.com: SUCCESS - S:1 W:0 E:0");
    }

    [Fact]
    public async Task SendAsync_LineStartingWithDot_IsDotStuffed()
    {
        // Given
        await using var server = await SmtpCaptureServer.StartAsync();
        var report = RunReportComposer.Compose(ReportSamples.Tally(1, 0, 0), ReportSamples.Host, ReportSamples.StatusLog, [".", ".hidden line"]);

        // When
        var result = await new SmtpReportSender(Options(server.Port), TimeProvider.System).SendAsync(report, CancellationToken.None);

        // Then: the server un-stuffs, so the received message has the lines as composed
        result.Sent.ShouldBeTrue();
        await server.WaitForAsync("message", 1);
        var lines = server.Messages.ShouldHaveSingleItem().GetProperty("data").GetString()!.Split("\r\n");
        lines.ShouldContain(".hidden line");
        lines.ShouldContain(".");
    }

    [Fact]
    public async Task SendAsync_MissingPasswordFile_NoAttemptAndWarning()
    {
        // Given
        var options = new SmtpReportOptions
        {
            Server = "127.0.0.1", Port = 1, StartTls = true, User = "u", PasswordFile = Path.Combine(_folder, "missing"),
            From = "backup@example.com", To = ["admin@example.com"],
        };

        // When
        var result = await new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), CancellationToken.None);

        // Then
        result.Sent.ShouldBeFalse();
        result.Attempts.ShouldBe(0);
        result.Lines.ShouldHaveSingleItem().Message.ShouldStartWith("WARNING e-mail report not sent: cannot read mail_smtp_password_file ");
    }

    [Fact]
    public async Task SendAsync_Cancelled_Throws()
    {
        // Given
        var options = new SmtpReportOptions { Server = "127.0.0.1", Port = 1, From = "backup@example.com", To = ["admin@example.com"] };
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // When / Then
        await Should.ThrowAsync<OperationCanceledException>(
            () => new SmtpReportSender(options, TimeProvider.System).SendAsync(ReportSamples.Warning(), cancelled.Token));
    }

    [Fact]
    public void Constructor_BadFingerprint_Throws()
    {
        var options = new SmtpReportOptions { Server = "h", From = "a@b.c", To = ["d@e.f"], TlsFingerprint = "12:34" };
        Should.Throw<ArgumentException>(() => new SmtpReportSender(options, TimeProvider.System)).Message.ShouldContain("not a SHA-256 fingerprint");
    }

    private static SmtpReportOptions Options(int port) => new()
    {
        Server = "127.0.0.1",
        Port = port,
        From = "backup@example.com",
        To = ["admin@example.com"],
        RetryDelay = TimeSpan.FromMilliseconds(10),
    };

    private string WritePasswordFile(string password)
    {
        var path = Path.Combine(_folder, "smtp.pass");
        NauPasswordFile.Write(path, password);
        return path;
    }
}
