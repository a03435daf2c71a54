namespace VmBackup.Core.Nau;

/// <summary>Process exit statuses of the NAUbackup-compatible form (see docs/naubackup-compatibility.md).</summary>
public static class NauExitCode
{
    /// <summary>Success, including a successful preview and <c>create-password-file</c>.</summary>
    public const int Success = 0;

    /// <summary>Usage, config, validation or authentication error before any backup started (also <c>help</c>).</summary>
    public const int UsageOrConfigError = 1;

    /// <summary>The run finished but at least one VM (or the pool DB dump) failed.</summary>
    public const int RunFinishedWithFailures = 2;
}
