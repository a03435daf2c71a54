namespace VmBackup.Core.Nau.Run;

/// <summary>
/// Sends the end-of-run report (v3.25's e-mail). <see cref="NauBackupRun"/> calls it once, after the status-log end
/// record, with everything a report needs (tally, per-VM results, status-log path, full host name).
/// </summary>
public interface INauRunReportSender
{
    /// <summary>Sends the report for <paramref name="result"/>. Exceptions are logged by the run and do not change its exit status.</summary>
    Task SendAsync(NauRunResult result, CancellationToken cancellationToken);
}
