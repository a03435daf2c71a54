using System.CommandLine;
using VmBackup.Core.HostBackup;
using VmBackup.Xapi;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup host-backup [--host H] FILE</c> and <c>vmbackup host-restore [--host H] FILE --yes</c>: the control
/// domain backup of a host (default the master), written atomically with mode 0600, and its restore, with the
/// XenServer guide's advice. Exit 0 when done, 1 for usage or connection errors or an unusable file, 2 when the pool
/// failed the transfer.
/// </summary>
internal static class HostBackupCommand
{
    public static Command CreateBackup(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var host = new Option<string?>("--host") { Description = "Host (name, uuid or address) [default: the pool master]" };
        var file = new Argument<string>("file") { Description = "File to write (gzip tar of the host's dom0, mode 0600)" };
        var command = new Command("host-backup", "Back up a host's control domain (xe host-backup)") { file, host };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => RunAsync(connection, result, error, "host-backup", output, (service, ct) => service.BackupAsync(result.GetValue(host), result.GetValue(file)!, ct), cancellationToken));
        return command;
    }

    public static Command CreateRestore(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var host = new Option<string?>("--host") { Description = "Host (name, uuid or address) [default: the pool master]" };
        var file = new Argument<string>("file") { Description = "A backup written by host-backup or xe host-backup" };
        var yes = new Option<bool>("--yes") { Description = "Really upload the backup to the host" };
        var command = new Command("host-restore", "Restore a host's control domain backup (xe host-restore; completes at the next boot from the install media)") { file, host, yes };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!result.GetValue(yes))
            {
                await error.WriteLineAsync("vmbackup host-restore: a host restore replaces the host's control domain at its next boot: pass --yes to upload the backup").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            return await RunAsync(connection, result, error, "host-restore", output, (service, ct) => service.RestoreAsync(result.GetValue(host), result.GetValue(file)!, ct), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(ConnectionOptions connection, ParseResult result, TextWriter error, string verb, TextWriter output, Func<HostBackupService, CancellationToken, Task<HostBackupContents>> action, CancellationToken cancellationToken)
    {
        var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.UsageOrSetupError;
        }

        await using (session.ConfigureAwait(false))
        {
            var service = new HostBackupService(session, new XenApiTransfers(session), line => output.WriteLine(line));
            try
            {
                await action(service, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (HostBackupException e)
            {
                await error.WriteLineAsync($"vmbackup {verb}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }
            catch (Exception e) when (e is XenApiException or XenApiConnectionException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"vmbackup {verb}: failed: {e.Message}").ConfigureAwait(false);
                return ExitCodes.FinishedWithFailures;
            }
        }
    }
}
