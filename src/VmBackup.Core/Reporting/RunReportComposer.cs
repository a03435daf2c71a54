using System.Text;
using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Makes the <see cref="RunReport"/> of a config-mode run: v3.25's subject, and a body with a summary of this run
/// (status, S/W/E, one line per VM), the status-log records of this run only (v3.25 mailed the whole file,
/// issue #98) and the run's console lines.
/// </summary>
public static class RunReportComposer
{
    /// <summary>Most lines of one body section; older lines are dropped with a note.</summary>
    public const int MaxSectionLines = 2000;

    /// <summary>Reads the status log at <paramref name="statusLogPath"/> and composes the report (an unreadable log is noted in the body).</summary>
    public static async Task<RunReport> ComposeAsync(
        NauRunTally tally,
        string fullHostName,
        string statusLogPath,
        IReadOnlyList<string> consoleLines,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statusLogPath);
        IReadOnlyList<string> records;
        string? problem = null;
        try
        {
            var stream = new FileStream(statusLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            records = text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            records = [];
            problem = $"(status log {statusLogPath} not readable: {e.Message})";
        }

        return Compose(tally, fullHostName, records, consoleLines, problem);
    }

    /// <summary>Composes the report from the status-log lines (the whole file; this run's part is picked here) and the console lines.</summary>
    public static RunReport Compose(
        NauRunTally tally,
        string fullHostName,
        IReadOnlyList<string> statusLogLines,
        IReadOnlyList<string> consoleLines) =>
        Compose(tally, fullHostName, statusLogLines, consoleLines, problem: null);

    /// <summary>
    /// The records of the last run in a status log: from its last <c>…,vmbackup.py,&lt;host&gt;,begin</c> record to the
    /// end; empty when there is no such record.
    /// </summary>
    public static IReadOnlyList<string> ThisRun(IReadOnlyList<string> statusLogLines)
    {
        ArgumentNullException.ThrowIfNull(statusLogLines);
        for (var i = statusLogLines.Count - 1; i >= 0; i--)
        {
            var fields = statusLogLines[i].Split(',');
            if (fields.Length == 4 && fields[1] == NauStatusLogRecord.RunComponent && fields[3] == "begin")
            {
                return statusLogLines.Skip(i).ToList();
            }
        }

        return [];
    }

    /// <summary>The VM results among status-log records: each <c>vm-export</c>/<c>vdi-export</c> end record with a detail.</summary>
    public static IReadOnlyList<RunReportVmResult> VmResults(IReadOnlyList<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new List<RunReportVmResult>();
        foreach (var record in records)
        {
            var fields = record.Split(',', 5);
            if (fields.Length == 5 && fields[1] is "vm-export" or "vdi-export" && fields[3] == "end")
            {
                var detail = fields[4];
                var status = detail.StartsWith("SUCCESS ", StringComparison.Ordinal) ? NauVmStatus.Success
                    : detail.StartsWith("WARNING ", StringComparison.Ordinal) ? NauVmStatus.Warning
                    : NauVmStatus.Error;
                results.Add(new RunReportVmResult(status, fields[1], detail));
            }
        }

        return results;
    }

    private static RunReport Compose(
        NauRunTally tally,
        string fullHostName,
        IReadOnlyList<string> statusLogLines,
        IReadOnlyList<string> consoleLines,
        string? problem)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(fullHostName);
        ArgumentNullException.ThrowIfNull(statusLogLines);
        ArgumentNullException.ThrowIfNull(consoleLines);
        var records = ThisRun(statusLogLines);
        var vms = VmResults(records);
        var status = tally.Overall switch
        {
            NauVmStatus.Error => "ERROR",
            NauVmStatus.Warning => "WARNING",
            _ => "SUCCESS",
        };

        var body = new StringBuilder();
        body.Append("VmBackup run on ").Append(fullHostName).Append(": ").Append(status).Append(" - ").Append(tally.Summary).Append('\n');
        body.Append('\n').Append("VM results:\n");
        if (vms.Count == 0)
        {
            body.Append("  (none)\n");
        }

        foreach (var vm in vms)
        {
            body.Append("  ").Append(vm.Detail).Append('\n');
        }

        body.Append('\n').Append("Status log of this run:\n");
        if (problem is not null)
        {
            body.Append(problem).Append('\n');
        }
        else if (records.Count == 0)
        {
            body.Append("(no begin record of this run in the status log)\n");
        }

        AppendSection(body, records);
        body.Append('\n').Append("Console output of this run:\n");
        AppendSection(body, consoleLines);
        return new RunReport(tally.Overall, fullHostName, tally.MailSubject(fullHostName), body.ToString(), vms);
    }

    private static void AppendSection(StringBuilder body, IReadOnlyList<string> lines)
    {
        var skip = Math.Max(0, lines.Count - MaxSectionLines);
        if (skip > 0)
        {
            body.Append("(… ").Append(skip).Append(" earlier lines left out)\n");
        }

        foreach (var line in lines.Skip(skip))
        {
            body.Append(line.TrimEnd('\r', '\n')).Append('\n');
        }
    }
}
