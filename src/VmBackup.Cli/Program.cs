using System.CommandLine;
using Spectre.Console;
using VmBackup.Cli.Commands;

namespace VmBackup.Cli;

/// <summary>The <c>vmbackup</c> command: its own verbs (<c>demo</c>, ...) and, later, the NAUbackup positional form.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var console = AnsiConsole.Console;
        var root = new RootCommand("VmBackup: backup and disaster recovery for XenServer / XCP-ng pools")
        {
            DemoCommand.Create(console),
        };
        try
        {
            return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("vmbackup: cancelled").ConfigureAwait(false);
            return ExitCodes.UsageOrSetupError;
        }
    }
}
