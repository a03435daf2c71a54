using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Nau.Preview;

/// <summary>The outcome of <see cref="NauEvaluator.Evaluate"/>.</summary>
public sealed record NauEvaluation
{
    /// <summary>Every line to print, in order (format with <see cref="NauLogFormatter"/>).</summary>
    public required IReadOnlyList<NauLogLine> Lines { get; init; }

    /// <summary>The exit status when the program must stop now (errors, or a finished preview); null when the backups should run.</summary>
    public int? ExitCode { get; init; }

    /// <summary>True when the caller should go on and run the backups.</summary>
    public bool ProceedToBackup => ExitCode is null;

    /// <summary>The selection (lists in processing order, which is also the backup order).</summary>
    public NauSelection? Selection { get; init; }

    /// <summary>Typed settings, when validation passed.</summary>
    public NauBackupSettings? Settings { get; init; }

    /// <summary>Effective compression (command line, else config extension, else False).</summary>
    public NauCompression Compress { get; init; }

    /// <summary>True in config mode (status log and e-mail are written only then, as v3.25).</summary>
    public bool ConfigMode { get; init; }
}
