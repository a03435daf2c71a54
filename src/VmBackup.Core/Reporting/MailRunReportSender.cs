using VmBackup.Core.Nau;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Sends the e-mail report of a config-mode run (the <c>mail_*</c> keys) when the run ends, and hands the sender's
/// lines (attempts, warnings) to the run's log. Never changes the run's result.
/// </summary>
/// <param name="settings">The config file's extension keys.</param>
/// <param name="consoleLines">The run's console lines as printed so far (read when the run ends).</param>
/// <param name="time">The clock for retries and the Date header.</param>
/// <param name="log">Where the sender's own lines go.</param>
public sealed class MailRunReportSender(
    NauExtensionSettings settings,
    IReadOnlyList<string> consoleLines,
    TimeProvider time,
    Action<NauLogLine> log) : INauRunReportSender
{
    /// <inheritdoc />
    public async Task SendAsync(NauRunResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.ConfigMode || result.StatusLogPath is null)
        {
            return; // NAUbackup mails only in config mode.
        }

        var sent = await RunReportMailer.SendAsync(
            settings, result.Tally, result.FullHostName, result.StatusLogPath, [.. consoleLines], time, cancellationToken).ConfigureAwait(false);
        foreach (var line in sent.Lines)
        {
            log(line);
        }
    }
}
