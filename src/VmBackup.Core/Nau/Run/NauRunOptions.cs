using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>How <see cref="NauBackupRun.RunAsync"/> runs, beyond what the evaluated command line and config say.</summary>
public sealed record NauRunOptions
{
    /// <summary><c>pre_clean=True</c> from the command line.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PreClean { get; init; }

    /// <summary>The clock for folder names, log lines and status-log records.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The full host name v3.25 takes from <c>os.uname()</c> (it runs in the master's dom0). Null: the pool master's
    /// <c>hostname</c> (its <c>name_label</c> when empty), which is what v3.25 prints when run on the master.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HostName { get; init; }

    /// <summary>Called once at the end of a run that got past the writability test (the e-mail report hooks in here).</summary>
    /// <value>The default value is <see langword="null"/> (no report).</value>
    public INauRunReportSender? ReportSender { get; init; }

    /// <summary>Options of the HTTP transfers.</summary>
    /// <value>The default value is <see langword="null"/> (the transfer defaults).</value>
    public XenApiTransferOptions? Transfers { get; init; }

    /// <summary>How long the removal of a snapshot after a failure or cancellation may take.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
