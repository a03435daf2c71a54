using System.CommandLine;
using Spectre.Console;
using VmBackup.Cli.Commands;
using VmBackup.Cli.Nau;
using VmBackup.Core.Nau;

namespace VmBackup.Cli;

/// <summary>
/// The <c>vmbackup</c> command. Its own verbs (<c>demo</c>, ...) are parsed by System.CommandLine; anything else is the
/// NAUbackup positional form (<c>vmbackup PASSWORD CONFIG [preview] ...</c>), so existing cron lines keep working.
/// </summary>
internal static class Program
{
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal) { "demo", "list", "verify", "restore", "healthcheck", "metadata", "pool-db", "host-backup", "host-restore", "dr", "--help", "-h", "-?", "--version" };

    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            if (args.Length == 0 || Verbs.Contains(args[0]))
            {
                var root = new RootCommand("VmBackup: backup and disaster recovery for XenServer / XCP-ng pools. "
                    + "Also accepts NAUbackup's form: vmbackup <password|password-file> <config-file|vm-selector> [preview] ...")
                {
                    DemoCommand.Create(AnsiConsole.Console),
                    ListCommand.Create(AnsiConsole.Console),
                    VerifyCommand.Create(AnsiConsole.Console),
                    RestoreCommand.Create(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System),
                    HealthcheckCommand.Create(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System),
                    MetadataCommand.Create(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System),
                    PoolDbCommand.Create(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System),
                    HostBackupCommand.CreateBackup(Console.Out, Console.Error, Environment.GetEnvironmentVariable),
                    HostBackupCommand.CreateRestore(Console.Out, Console.Error, Environment.GetEnvironmentVariable),
                    DrCommand.Create(Console.Out, Console.Error, Environment.GetEnvironmentVariable),
                };
                return await root.Parse(args).InvokeAsync(cancellationToken: cancellation.Token).ConfigureAwait(false);
            }

            var nau = new NauCommand(Console.Out, TimeProvider.System, FileSystemPathProbe.Instance, Environment.GetEnvironmentVariable);
            return await nau.RunAsync(args, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("vmbackup: cancelled").ConfigureAwait(false);
            return ExitCodes.UsageOrSetupError;
        }
    }
}
