namespace VmBackup.Cli;

/// <summary>The exit statuses of <c>vmbackup</c> (see docs/naubackup-compatibility.md).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done (a preview too).</summary>
    public const int Success = 0;

    /// <summary>Usage, configuration, connection or authentication error before any backup started.</summary>
    public const int UsageOrSetupError = 1;

    /// <summary>The run finished but some VMs failed.</summary>
    public const int FinishedWithFailures = 2;
}
