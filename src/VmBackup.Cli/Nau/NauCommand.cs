using Spectre.Console;
using VmBackup.Cli.Progress;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Preview;
using VmBackup.Core.Nau.Run;
using VmBackup.Core.Reporting;
using VmBackup.Core.Nau.Selection;
using VmBackup.Xapi;

namespace VmBackup.Cli.Nau;

/// <summary>
/// The NAUbackup form of the command line: <c>vmbackup &lt;password|password-file&gt; &lt;config-file|vm-selector&gt;
/// [preview] [compress=..] [ignore_extra_keys=..] [pre_clean=..]</c>, so that a cron line that ran <c>VmBackup.py</c> keeps
/// working. Output goes to standard output in NAUbackup's log format; on a terminal the transfers show as progress bars,
/// otherwise as log lines.
/// </summary>
/// <param name="output">Where the log lines go.</param>
/// <param name="time">The clock.</param>
/// <param name="paths">Path probe for the config checks.</param>
/// <param name="environment">Environment variable lookup.</param>
/// <param name="reportSender">Sends the end-of-run report (e-mail); null for none.</param>
internal sealed class NauCommand(TextWriter output, TimeProvider time, IPathProbe paths, Func<string, string?> environment, INauRunReportSender? reportSender = null)
{
    private readonly NauLogFormatter _formatter = new(time);
    private readonly List<string> _printed = [];

    /// <summary>Runs the NAUbackup form and returns the exit status (0 success, 1 usage/config/authentication, 2 failed VMs).</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = NauCommandLineParser.Parse(args, paths, environment);
        if (!parsed.TryGetValue(out var command))
        {
            return Fail(parsed.ErrorLines, parsed.ExitCode);
        }

        if (command.Action == NauAction.Usage)
        {
            Write(NauUsageText.For(command.UsageTopics).Select(l => NauLogLine.Raw(l)));
            return NauExitCode.UsageOrConfigError;
        }

        var password = command.Password!.Value;
        if (command.Password.IsFile)
        {
            var decoded = NauPasswordFile.Decode(command.Password.Value, await File.ReadAllTextAsync(command.Password.Value, cancellationToken).ConfigureAwait(false));
            if (!decoded.TryGetValue(out var fromFile))
            {
                return Fail(decoded.ErrorLines, decoded.ExitCode);
            }

            password = fromFile;
        }

        if (command.Action == NauAction.CreatePasswordFile)
        {
            Write([NauLogLine.Raw(NauPasswordFile.Write(command.PasswordFileToCreate!, password))]);
            return NauExitCode.Success;
        }

        NauConfigDocument? config = null;
        if (command.TargetKind == NauTargetKind.ConfigFile)
        {
            var text = await File.ReadAllTextAsync(command.TargetArgument, cancellationToken).ConfigureAwait(false);
            var parsedConfig = NauConfigFile.Parse(command.TargetArgument, text, command.IgnoreExtraKeys);
            if (!parsedConfig.TryGetValue(out config))
            {
                return Fail(parsedConfig.ErrorLines, parsedConfig.ExitCode);
            }

            var mailErrors = SmtpReportSettings.Validate(config.Extensions);
            if (mailErrors.Count > 0)
            {
                return Fail(mailErrors, NauExitCode.UsageOrConfigError);
            }
        }

        var connection = command.Connection;
        XenApiSession session;
        try
        {
            session = await XenApiSession.ConnectAsync(
                new Uri(connection.EffectiveServer),
                connection.EffectiveUser,
                password,
                new XenApiClientOptions { TlsFingerprint = connection.TlsFingerprint, AllowInsecure = connection.Insecure },
                cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e)
        {
            // v3.25 prints the failure details as a Python list, then its own line.
            Write([NauLogLine.Raw(PythonText.ReprList([e.ErrorCode, .. e.ErrorParameters])), NauLogLine.Raw("ERROR - XenAPI authentication error")]);
            return NauExitCode.UsageOrConfigError;
        }
        catch (XenApiConnectionException e)
        {
            Write([NauLogLine.Raw("ERROR - cannot connect to " + connection.EffectiveServer + ": " + e.Message)]);
            return NauExitCode.UsageOrConfigError;
        }

        await using (session.ConfigureAwait(false))
        {
            var records = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
            var pool = records
                .Select(r => new PoolVm(r.Key.OpaqueRef, r.Value.NameLabel, r.Value.IsATemplate, r.Value.IsASnapshot, r.Value.IsControlDomain))
                .ToList();

            var evaluation = NauEvaluator.Evaluate(command, config, pool, paths);
            Write(evaluation.Lines);
            if (!evaluation.ProceedToBackup)
            {
                return evaluation.ExitCode!.Value;
            }

            var sender = reportSender
                ?? (config is not null && SmtpReportSettings.IsEnabled(config.Extensions)
                    ? new MailRunReportSender(config.Extensions, _printed, time, l => Write([l]))
                    : null);
            var options = new NauRunOptions { PreClean = command.PreClean, Time = time, ReportSender = sender };
            try
            {
                var result = IsInteractiveConsole()
                    ? await RunWithProgressBarsAsync(session, evaluation, options, cancellationToken).ConfigureAwait(false)
                    : await NauBackupRun.RunAsync(session, evaluation, options, new PlainBackupProgress(l => Write([l]), time), l => Write([l]), cancellationToken).ConfigureAwait(false);
                return result.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The snapshot of the VM being exported was removed; its folder has no success marker.
                Write([NauLogLine.Log("ERROR VmBackup cancelled - the current backup is incomplete and not marked successful")]);
                return NauExitCode.RunFinishedWithFailures;
            }
        }
    }

    private bool IsInteractiveConsole() =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private async Task<NauRunResult> RunWithProgressBarsAsync(XenApiSession session, NauEvaluation evaluation, NauRunOptions options, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        NauRunResult? result = null;
        await SpectreBackupProgress.Create(console).StartAsync(async context =>
        {
            result = await NauBackupRun.RunAsync(
                session,
                evaluation,
                options,
                new SpectreBackupProgress(context),
                line => console.WriteLine(_formatter.Format(line)),
                cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result!;
    }

    private int Fail(IEnumerable<NauLogLine> lines, int exitCode)
    {
        Write(lines);
        return exitCode;
    }

    private void Write(IEnumerable<NauLogLine> lines)
    {
        foreach (var line in lines)
        {
            var text = _formatter.Format(line);
            _printed.Add(text);
            output.WriteLine(text);
        }
    }
}
