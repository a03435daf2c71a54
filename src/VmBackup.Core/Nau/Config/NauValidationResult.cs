namespace VmBackup.Core.Nau.Config;

/// <summary>The outcome of <see cref="NauConfigValidator.Validate"/>.</summary>
/// <param name="Lines">Raw lines to print (v3.25's <c>ERROR: config …</c> messages and VmBackup's warnings).</param>
/// <param name="Settings">The typed settings when valid; null otherwise.</param>
public sealed record NauValidationResult(IReadOnlyList<NauLogLine> Lines, NauBackupSettings? Settings)
{
    /// <summary>True when valid (v3.25's <c>is_config_valid()</c> returned True).</summary>
    public bool IsValid => Settings is not null;
}
