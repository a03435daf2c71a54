namespace VmBackup.Core.Nau.CommandLine;

/// <summary>What a NAUbackup-form command line asks for.</summary>
public enum NauAction
{
    /// <summary>Print usage text (<see cref="NauCommandLine.UsageTopics"/>) and exit 1, as v3.25 does.</summary>
    Usage,

    /// <summary><c>&lt;password&gt; create-password-file=FILE</c>.</summary>
    CreatePasswordFile,

    /// <summary>A backup run or a preview over a config file or a vm-selector.</summary>
    Run,
}
