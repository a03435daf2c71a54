using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Reporting;

/// <summary>
/// The e-mail report of one config-mode run, ready to send: v3.25's subject and a plain-text UTF-8 body made by
/// <see cref="RunReportComposer"/>.
/// </summary>
/// <param name="Status">The run's overall status (ERROR if any error, else WARNING if any warning, else SUCCESS).</param>
/// <param name="FullHostName">The full host name of the machine that ran the backup (in the subject).</param>
/// <param name="Subject"><c>ERROR|WARNING|Success &lt;full host&gt; VmBackup.py</c>, as v3.25 (so mail filters keep matching).</param>
/// <param name="Body">The body text, lines separated by <c>\n</c>.</param>
/// <param name="Vms">The per-VM results of this run, in status-log order.</param>
public sealed record RunReport(
    NauVmStatus Status,
    string FullHostName,
    string Subject,
    string Body,
    IReadOnlyList<RunReportVmResult> Vms);
