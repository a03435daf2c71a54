namespace VmBackup.Core.Nau.Run;

/// <summary>The outcome of <see cref="NauBackupRun.RunAsync"/>: what the summary, the exit status and a report need.</summary>
public sealed record NauRunResult
{
    /// <summary>The process exit status: 0 success (warnings included), 1 fatal error before any backup, 2 failed VMs or an aborted run.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The S/W/E counts.</summary>
    public required NauRunTally Tally { get; init; }

    /// <summary>One result per VM processed, in run order.</summary>
    public required IReadOnlyList<NauVmResult> VmResults { get; init; }

    /// <summary>The status-log file (config mode), or null (CLI mode writes none).</summary>
    public string? StatusLogPath { get; init; }

    /// <summary>The full host name (the e-mail subject uses it).</summary>
    public required string FullHostName { get; init; }

    /// <summary>True in config mode (v3.25 sends its e-mail only then).</summary>
    public bool ConfigMode { get; init; }

    /// <summary>Why the run stopped before its end (lost session), or null.</summary>
    public string? AbortReason { get; init; }

    /// <summary>The backup directory.</summary>
    public required string BackupDir { get; init; }
}
