namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// A parsed NAUbackup-form command line:
/// <c>vmbackup &lt;password|password-file&gt; &lt;config-file|vm-selector&gt; [preview] [compress=True|False|zstd]
/// [ignore_extra_keys=True|False] [pre_clean=True|False]</c>, the <c>create-password-file=FILE</c> form, or a usage request.
/// Produced by <see cref="NauCommandLineParser"/>.
/// </summary>
public sealed record NauCommandLine
{
    /// <summary>What to do.</summary>
    public required NauAction Action { get; init; }

    /// <summary>For <see cref="NauAction.Usage"/>: which texts to print (<see cref="NauUsageText.For"/>).</summary>
    public NauUsageTopics UsageTopics { get; init; }

    /// <summary>The password or password file (not set for <see cref="NauAction.Usage"/>).</summary>
    public NauPasswordSource? Password { get; init; }

    /// <summary>For <see cref="NauAction.CreatePasswordFile"/>: the file to write (relative to the working directory or absolute).</summary>
    public string? PasswordFileToCreate { get; init; }

    /// <summary>For <see cref="NauAction.Run"/>: config file or vm-selector.</summary>
    public NauTargetKind TargetKind { get; init; }

    /// <summary>The second positional argument exactly as given (printed in <c>VmBackup config loaded from: …</c>).</summary>
    public string TargetArgument { get; init; } = string.Empty;

    /// <summary>CLI mode: <c>vm-export</c> or <c>vdi-export</c>.</summary>
    public string SelectorKey { get; init; } = "vm-export";

    /// <summary>CLI mode: the selector value (may carry a <c>:max_backups</c> suffix).</summary>
    public string Selector { get; init; } = string.Empty;

    /// <summary><c>preview</c> in any form.</summary>
    public bool Preview { get; init; }

    /// <summary><c>compress=</c> if given on the command line; null when absent (then the config extension key or False applies).</summary>
    public NauCompression? Compress { get; init; }

    /// <summary><c>ignore_extra_keys=true</c>.</summary>
    public bool IgnoreExtraKeys { get; init; }

    /// <summary><c>pre_clean=true</c>.</summary>
    public bool PreClean { get; init; }

    /// <summary>VmBackup connection options (<c>--server</c> etc.), already merged with the environment.</summary>
    public NauConnectionOptions Connection { get; init; } = NauConnectionOptions.None;
}
