using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Reporting;

/// <summary>
/// The one call the run engine makes at the end of a config-mode run: compose the report and send it when the
/// <c>mail_*</c> keys ask for one. A failed mail gives warning lines; it never throws and never changes the run's result.
/// </summary>
public static class RunReportMailer
{
    /// <summary>
    /// Sends the report of a finished run when <c>mail_smtp_server</c> is set; otherwise returns an unsent result
    /// with no lines and no attempt. Invalid mail keys (normally refused earlier by <see cref="SmtpReportSettings.Validate"/>)
    /// give their error lines and no attempt.
    /// </summary>
    /// <param name="settings">The config's extension keys.</param>
    /// <param name="tally">The run's S/W/E counts (status and subject follow from it).</param>
    /// <param name="fullHostName">The full host name (subject, EHLO).</param>
    /// <param name="statusLogPath">The status log; the records from this run's begin record on go in the body.</param>
    /// <param name="consoleLines">The run's console lines as printed.</param>
    /// <param name="time">Clock for the retry delay, the attempt timeout and the Date header.</param>
    /// <param name="cancellationToken">Cancels the send (the only exception this method lets out).</param>
    public static async Task<SmtpSendResult> SendAsync(
        NauExtensionSettings settings,
        NauRunTally tally,
        string fullHostName,
        string statusLogPath,
        IReadOnlyList<string> consoleLines,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        if (!SmtpReportSettings.IsEnabled(settings))
        {
            return new SmtpSendResult(false, 0, []);
        }

        var options = SmtpReportSettings.FromSettings(settings);
        if (!options.TryGetValue(out var smtp))
        {
            return new SmtpSendResult(false, 0, [.. options.ErrorLines, NauLogLine.Log("WARNING e-mail report not sent: invalid mail_* config")]);
        }

        var report = await RunReportComposer.ComposeAsync(tally, fullHostName, statusLogPath, consoleLines, cancellationToken).ConfigureAwait(false);
        return await new SmtpReportSender(smtp, time).SendAsync(report, cancellationToken).ConfigureAwait(false);
    }
}
