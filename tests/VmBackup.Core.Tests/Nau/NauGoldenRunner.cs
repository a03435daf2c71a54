using System.Text;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Preview;
using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Tests.Nau;

/// <summary>
/// Runs one golden case the way the CLI composes the Nau pieces: parse the command line, decode a password file,
/// parse the config file, evaluate against the simulated pool, and render the result as text.
/// </summary>
internal static class NauGoldenRunner
{
    public static readonly DateTimeOffset Moment = new(2019, 6, 30, 16, 52, 37, TimeSpan.Zero);

    public static string Run(IReadOnlyList<string> args, FakePaths paths, IReadOnlyList<PoolVm> pool)
    {
        var formatter = new NauLogFormatter(new FixedTimeProvider(Moment));
        var output = new List<NauLogLine>();
        var summary = new StringBuilder();
        int? exit;

        var parsed = NauCommandLineParser.Parse(args, paths);
        if (!parsed.TryGetValue(out var command))
        {
            output.AddRange(parsed.ErrorLines);
            exit = parsed.ExitCode;
        }
        else
        {
            exit = RunCommand(command, paths, pool, output, summary);
        }

        var sb = new StringBuilder();
        sb.Append("exit: ").Append(exit is null ? "proceed to backup" : exit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(summary);
        sb.Append("--- output (each line ends with |)\n");
        foreach (var line in output)
        {
            sb.Append(formatter.Format(line)).Append("|\n");
        }

        return sb.ToString();
    }

    private static int? RunCommand(NauCommandLine command, FakePaths paths, IReadOnlyList<PoolVm> pool, List<NauLogLine> output, StringBuilder summary)
    {
        if (command.Action == NauAction.Usage)
        {
            output.AddRange(NauUsageText.For(command.UsageTopics).Select(l => NauLogLine.Raw(l)));
            return NauExitCode.UsageOrConfigError;
        }

        var password = command.Password!.Value;
        if (command.Password.IsFile)
        {
            var decoded = NauPasswordFile.Decode(command.Password.Value, paths.Files[command.Password.Value]);
            if (!decoded.TryGetValue(out var pw))
            {
                output.AddRange(decoded.ErrorLines);
                return decoded.ExitCode;
            }

            password = pw;
        }

        summary.Append("password: ").Append(password).Append('\n');
        if (command.Action == NauAction.CreatePasswordFile)
        {
            summary.Append("password file ").Append(command.PasswordFileToCreate).Append(": ")
                .Append(NauPasswordFile.Encode(password)).Append('\n');
            output.Add(NauLogLine.Raw(NauPasswordFile.SavedMessage(command.PasswordFileToCreate!)));
            return NauExitCode.Success;
        }

        summary.Append("mode: ").Append(command.TargetKind == NauTargetKind.ConfigFile ? "config file" : $"vm-selector {command.SelectorKey}={command.Selector}")
            .Append(command.Preview ? ", preview" : string.Empty)
            .Append(command.IgnoreExtraKeys ? ", ignore_extra_keys" : string.Empty)
            .Append(command.PreClean ? ", pre_clean" : string.Empty).Append('\n');
        var conn = command.Connection;
        summary.Append("connection: ").Append(conn.EffectiveServer).Append(" as ").Append(conn.EffectiveUser)
            .Append(conn.Insecure ? ", insecure" : string.Empty)
            .Append(conn.TlsFingerprint is null ? string.Empty : ", fingerprint " + conn.TlsFingerprint).Append('\n');

        NauConfigDocument? config = null;
        if (command.TargetKind == NauTargetKind.ConfigFile)
        {
            var parsedConfig = NauConfigFile.Parse(command.TargetArgument, paths.Files[command.TargetArgument], command.IgnoreExtraKeys);
            if (!parsedConfig.TryGetValue(out config))
            {
                output.AddRange(parsedConfig.ErrorLines);
                return parsedConfig.ExitCode;
            }
        }

        var evaluation = NauEvaluator.Evaluate(command, config, pool, paths);
        output.AddRange(evaluation.Lines);
        if (evaluation.Selection is { } s)
        {
            summary.Append("vdi-export (list order): [").Append(string.Join(", ", s.VdiExport)).Append("]\n");
            summary.Append("vm-export (list order): [").Append(string.Join(", ", s.VmExport)).Append("]\n");
            summary.Append("exclude: [").Append(string.Join(", ", s.Exclude)).Append("]\n");
            summary.Append("max_backups per entry: [")
                .Append(string.Join(", ", s.VdiExport.Concat(s.VmExport).Select(e =>
                    $"{e.VmName}={(evaluation.Settings is { } st ? e.EffectiveMaxBackups(st.MaxBackups).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}")))
                .Append("]\n");
        }

        summary.Append("compress: ").Append(NauPreviewReport.CompressText(evaluation.Compress)).Append('\n');
        return evaluation.ExitCode;
    }
}
