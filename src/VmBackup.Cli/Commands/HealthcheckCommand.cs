using System.CommandLine;
using System.Globalization;
using VmBackup.Core.Restore;
using VmBackup.Repository.Nau;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup healthcheck &lt;VM|--all&gt; --sr SR [--timeout SECONDS]</c>: restores each VM's newest successful backup
/// under a temporary name with networks disconnected, starts it, waits until the pool reports it Running, destroys it
/// and its disks, and records the result in the backup folder (<see cref="HealthcheckService"/>). Exit 0 when every
/// check passed, 2 when one failed, 1 for usage or connection errors.
/// </summary>
internal static class HealthcheckCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time)
    {
        var connection = new ConnectionOptions(environment);
        var vm = new Argument<string?>("vm") { Description = "The VM whose newest backup to check (or a backup folder)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Check the newest backup of every VM folder in the backup directory" };
        var sr = new Option<string>("--sr") { Description = "SR to restore the temporary VM to (name or uuid)", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the VM to be Running", DefaultValueFactory = _ => 300 };
        var command = new Command("healthcheck", "Prove backups restorable: restore, boot, destroy, record the result") { vm, all, sr, timeout };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(vm);
            var everything = result.GetValue(all);
            if ((name is null) == !everything || result.GetValue(timeout) <= 0)
            {
                await error.WriteLineAsync("vmbackup healthcheck: name one VM or pass --all (not both); --timeout must be positive").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            var backupDir = connection.BackupDirectory(result);
            var targets = new List<(string Vm, string? Folder, string? Problem)>();
            var names = everything ? new NauBackupRoot(backupDir).ListVmFolderNames() : [name!];
            foreach (var n in names)
            {
                try
                {
                    targets.Add((n, RestorePointLocator.Locate(n, backupDir, null), null));
                }
                catch (RestoreRefusedException e)
                {
                    targets.Add((n, null, e.Message));
                }
            }

            if (targets.Count == 0)
            {
                await error.WriteLineAsync($"vmbackup healthcheck: no VM folders in {backupDir}").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrSetupError;
            }

            await using (session.ConfigureAwait(false))
            {
                var options = new HealthcheckOptions { Sr = result.GetValue(sr), BootTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)), TimeProvider = time };
                return await RunAsync(session, targets, options, output, cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }

    internal static async Task<int> RunAsync(Xapi.XenApiSession session, IReadOnlyList<(string Vm, string? Folder, string? Problem)> targets, HealthcheckOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var service = new HealthcheckService(session, line => output.WriteLine("  " + line));
        var failed = 0;
        foreach (var (vm, folder, problem) in targets)
        {
            if (folder is null)
            {
                output.WriteLine($"healthcheck {vm}: FAILED: {problem}");
                failed++;
                continue;
            }

            output.WriteLine($"healthcheck {vm}: {folder}");
            var record = await service.CheckAsync(folder, options, cancellationToken).ConfigureAwait(false);
            var speed = record.RestoreDuration > TimeSpan.Zero ? (record.BytesSent / record.RestoreDuration.TotalSeconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            if (record.Ok)
            {
                output.WriteLine(
                    $"healthcheck {vm}: OK: restored {RestoreServiceText.Size(record.BytesSent)} in {Seconds(record.RestoreDuration)} s ({speed} MB/s), "
                    + $"Running after {Seconds(record.BootDuration)} s, removed; total {Seconds(record.Duration)} s");
            }
            else
            {
                output.WriteLine($"healthcheck {vm}: FAILED: {record.Message}");
                failed++;
            }
        }

        output.WriteLine($"healthcheck: {targets.Count - failed} ok, {failed} failed");
        return failed == 0 ? ExitCodes.Success : ExitCodes.FinishedWithFailures;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
