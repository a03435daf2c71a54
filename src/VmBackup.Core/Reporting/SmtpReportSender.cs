using System.Net.Sockets;
using System.Security.Authentication;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.CommandLine;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Sends a <see cref="RunReport"/> by SMTP like v3.25: up to <see cref="SmtpReportOptions.Attempts"/> connections
/// with <see cref="SmtpReportOptions.RetryDelay"/> between them, printing <c>Exception: socket.error -  &lt;e&gt;</c>
/// or <c>Exception: SMTPException - &lt;msg&gt;</c> per failure. Never throws for a failed mail (the run's result
/// stays as it is); only the caller's cancellation ends it early.
/// </summary>
public sealed class SmtpReportSender
{
    private readonly SmtpReportOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a sender; <paramref name="time"/> drives the retry delay, the attempt timeout and the Date header.</summary>
    /// <exception cref="ArgumentException"><see cref="SmtpReportOptions.TlsFingerprint"/> is not a SHA-256 fingerprint, or a count/time is out of range.</exception>
    public SmtpReportSender(SmtpReportOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Attempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AttemptTimeout, TimeSpan.Zero, nameof(options));
        _ = SmtpTlsPolicy.Create(options.TlsFingerprint);
        _options = options;
        _time = time;
    }

    /// <summary>Sends the report; the result says whether it went out and holds the lines to print.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<SmtpSendResult> SendAsync(RunReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<NauLogLine>();
        string? password = null;
        if (_options.User is not null)
        {
            var read = await ReadPasswordAsync(cancellationToken).ConfigureAwait(false);
            if (!read.TryGetValue(out password))
            {
                lines.Add(NauLogLine.Log("WARNING e-mail report not sent: " + read.ErrorMessage));
                return new SmtpSendResult(false, 0, lines);
            }
        }

        var domain = _options.ClientDomain ?? (IsHostName(report.FullHostName) ? report.FullHostName : "localhost");
        var messageId = Guid.NewGuid().ToString("N") + "@" + domain;
        var data = SmtpMessageFormatter.Format(_options.From, _options.To, report.Subject, report.Body, _time.GetLocalNow(), messageId);
        var lastError = string.Empty;
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            var tls = SmtpTlsPolicy.Create(_options.TlsFingerprint);
            using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var refused = await SmtpSession.DeliverAsync(_options, password, domain, tls, data, linked.Token).ConfigureAwait(false);
                if (refused.Count > 0)
                {
                    lines.Add(NauLogLine.Log("WARNING e-mail report refused for " + string.Join(", ", refused)));
                }

                lines.Add(NauLogLine.Log("e-mail report sent to " + string.Join(", ", _options.To.Except(refused))));
                return new SmtpSendResult(true, attempt, lines);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = "socket.error -  timed out after " + _options.AttemptTimeout.TotalSeconds + " s";
            }
            catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
            {
                lastError = "socket.error -  " + Describe(e);
            }
            catch (SmtpProtocolException e)
            {
                lastError = "SMTPException - " + e.Message;
            }

            lines.Add(NauLogLine.Raw("Exception: " + lastError));
            if (attempt < _options.Attempts)
            {
                await Task.Delay(_options.RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        lines.Add(NauLogLine.Log(
            $"WARNING e-mail report not sent to {string.Join(", ", _options.To)} via {_options.Server}:{_options.Port} after {_options.Attempts} attempts: {lastError}"));
        return new SmtpSendResult(false, _options.Attempts, lines);
    }

    private async Task<NauParseResult<string>> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        var path = _options.PasswordFile ?? string.Empty;
        try
        {
            var content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return NauPasswordFile.Decode(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return NauParseResult<string>.ForError($"cannot read mail_smtp_password_file {path}: {e.Message}");
        }
    }

    private static string Describe(Exception e)
    {
        // SslStream wraps the interesting part; v3.25 printed str(e) of the innermost socket/ssl error.
        var message = e.Message;
        if (e is IOException { InnerException: SocketException socket })
        {
            message = socket.Message;
        }

        return message;
    }

    private static bool IsHostName(string name) =>
        name.Length is > 0 and <= 253 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !name.StartsWith('.');
}
