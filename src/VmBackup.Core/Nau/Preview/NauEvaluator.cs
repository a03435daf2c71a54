using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Nau.Preview;

/// <summary>
/// Runs v3.25's pre-backup sequence (spec §4) as a pure function: selection, load messages in file order,
/// cleanup messages, settings dump, validation, "no VMs", the preview duplicate-name scan, the existence check
/// and the final preview / check line. Call it after login, with the pool's VM objects.
/// </summary>
public static class NauEvaluator
{
    /// <summary>Evaluates a <see cref="NauAction.Run"/> command line.</summary>
    /// <param name="command">The parsed command line.</param>
    /// <param name="config">The parsed config file (config mode), null in CLI mode.</param>
    /// <param name="pool">All VM objects of the pool (VMs, templates, snapshots, dom0) in pool order.</param>
    /// <param name="paths">Path probe for the <c>backup_dir</c> check.</param>
    /// <param name="regexTimeout">Per-match regex timeout (default 1 s).</param>
    public static NauEvaluation Evaluate(
        NauCommandLine command,
        NauConfigDocument? config,
        IReadOnlyList<PoolVm> pool,
        IPathProbe paths,
        TimeSpan? regexTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(paths);
        if (command.Action != NauAction.Run)
        {
            throw new ArgumentException("Only a Run command line can be evaluated.", nameof(command));
        }

        var configMode = command.TargetKind == NauTargetKind.ConfigFile;
        if (configMode && config is null)
        {
            throw new ArgumentException("Config mode needs the parsed config file.", nameof(config));
        }

        var lines = new List<NauLogLine>();
        NauValidationResult? validation = null;
        var compress = command.Compress ?? config?.Extensions.Compress ?? NauCompression.False;
        NauSelection selection;
        if (configMode)
        {
            selection = VmSelector.SelectFromConfig(config!.Directives, pool, runCleanup: !config.HasUnknownKeyErrors, regexTimeout);
            lines.AddRange(config.Messages.Concat(selection.LoadMessages).OrderBy(l => l.SourceLine ?? 0));
            if (config.HasUnknownKeyErrors)
            {
                lines.Add(NauLogLine.Raw("ERROR in config_load, consider ignore_extra_keys=true"));
                return Stop(NauExitCode.UsageOrConfigError);
            }
        }
        else
        {
            selection = VmSelector.SelectFromCommandLine(command.SelectorKey, command.Selector, pool, regexTimeout);
            lines.AddRange(selection.LoadMessages);
        }

        lines.AddRange(selection.CleanupMessages);
        var settings = config?.Settings ?? NauSettings.Defaults;
        lines.AddRange(NauPreviewReport.SettingsDump(
            command.TargetArgument, settings, compress, config?.Extensions ?? NauExtensionSettings.None, selection));

        validation = NauConfigValidator.Validate(settings, selection.VdiExport, selection.VmExport, paths);
        lines.AddRange(validation.Lines);
        if (!validation.IsValid)
        {
            lines.Add(NauLogLine.Log("ERROR in configuration settings..."));
            return Stop(NauExitCode.UsageOrConfigError);
        }

        if (selection.VdiExport.Count == 0 && selection.VmExport.Count == 0)
        {
            lines.Add(NauLogLine.Log("ERROR no VMs loaded"));
            return Stop(NauExitCode.UsageOrConfigError);
        }

        if (command.Preview)
        {
            lines.Add(NauLogLine.Log("Checking all VMs for duplicate names ..."));
            lines.AddRange(NauPoolChecks.PreviewDuplicateScan(selection.RemainingVms, pool));
        }

        var (existLines, allExist) = NauPoolChecks.VerifyConfigVmsExist(selection.VdiExport, selection.VmExport, selection.Exclude, pool);
        lines.AddRange(existLines);
        if (!allExist)
        {
            return Stop(NauExitCode.UsageOrConfigError);
        }

        if (command.Preview)
        {
            lines.Add(NauPreviewReport.FinalPreviewLine(selection.HasRegexError, selection.HasWarning));
            return Stop(selection.HasRegexError ? NauExitCode.UsageOrConfigError : NauExitCode.Success);
        }

        lines.Add(NauLogLine.Log($"SUCCESS check of parameters {NauPreviewReport.WarningSuffix(selection.HasWarning)}"));
        if (selection.HasRegexError)
        {
            lines.Add(NauLogLine.Log("ERROR regex errors found (see above)"));
            return Stop(NauExitCode.UsageOrConfigError);
        }

        return Result(null);

        NauEvaluation Stop(int exitCode) => Result(exitCode);

        NauEvaluation Result(int? exitCode) => new()
        {
            Lines = lines,
            ExitCode = exitCode,
            Selection = selection,
            Settings = validation?.Settings,
            Compress = compress,
            ConfigMode = configMode,
        };
    }
}
