using System.CommandLine;
using System.Globalization;
using VmBackup.Core.Restore;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup restore &lt;backup-folder|VM&gt; [--at DATE] [--sr SR] [--name NEW] [--preserve] [--start] [--force]
/// [--disk-only]</c>: checks the backup, then restores it in one step (see <see cref="RestoreService"/>). Exit 0 when
/// restored, 1 for usage or connection errors, 2 when the backup was refused or the restore failed (then nothing it
/// created is left on the pool).
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time)
    {
        var connection = new ConnectionOptions(environment);
        var backup = new Argument<string>("backup") { Description = "A backup folder (<backup_dir>/<vm>/backup-YYYY-MM-DD-(HH:MM:SS)) or a VM name (its newest successful backup)" };
        var at = new Option<string?>("--at") { Description = "With a VM name: the newest backup at or before DATE (YYYY-MM-DD or 'YYYY-MM-DD HH:MM[:SS]')" };
        var sr = new Option<string?>("--sr") { Description = "Target SR (name or uuid) [default: the pool's default SR]" };
        var name = new Option<string?>("--name") { Description = "Name of the restored VM [default: the backed-up VM's name]" };
        var preserve = new Option<bool>("--preserve") { Description = "Keep the backup's identity (VM uuid, MACs); refused while the original exists, unless --force" };
        var start = new Option<bool>("--start") { Description = "Start the VM once restored" };
        var force = new Option<bool>("--force") { Description = "Allow a VM of the same name; with --preserve, replace the (halted) original VM" };
        var diskOnly = new Option<bool>("--disk-only") { Description = "Restore only the disk(s) into new VDIs" };
        var command = new Command("restore", "Restore a NAUbackup backup (XVA, raw or VHD) onto the pool in one step")
        {
            backup, at, sr, name, preserve, start, force, diskOnly,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            DateTime? atTime = null;
            if (result.GetValue(at) is { } atText)
            {
                if (!RestorePointLocator.TryParseAt(atText, out var parsed))
                {
                    await error.WriteLineAsync($"vmbackup restore: --at {atText}: expected YYYY-MM-DD or 'YYYY-MM-DD HH:MM[:SS]'").ConfigureAwait(false);
                    return ExitCodes.UsageOrSetupError;
                }

                atTime = parsed;
            }

            if (result.GetValue(diskOnly) && (result.GetValue(preserve) || result.GetValue(start) || result.GetValue(name) is not null))
            {
                await error.WriteLineAsync("vmbackup restore: --disk-only creates no VM: it cannot be combined with --preserve, --start or --name").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            RestoreSource source;
            try
            {
                var folder = RestorePointLocator.Locate(result.GetValue(backup)!, connection.BackupDirectory(result), atTime);
                source = await RestoreSourceReader.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
            }
            catch (RestoreRefusedException e)
            {
                await error.WriteLineAsync("vmbackup restore: " + e.Message).ConfigureAwait(false);
                return ExitCodes.FinishedWithFailures;
            }

            var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrSetupError;
            }

            await using (session.ConfigureAwait(false))
            {
                var options = new RestoreOptions
                {
                    Sr = result.GetValue(sr),
                    NewName = result.GetValue(name),
                    Preserve = result.GetValue(preserve),
                    Start = result.GetValue(start),
                    Force = result.GetValue(force),
                    DiskOnly = result.GetValue(diskOnly),
                    TimeProvider = time,
                };
                return await RunAsync(session, source, options, output, error, cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>Runs the restore and prints what was created.</summary>
    internal static async Task<int> RunAsync(Xapi.XenApiSession session, RestoreSource source, RestoreOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var service = new RestoreService(session, line => output.WriteLine(line));
        try
        {
            var result = await service.RestoreAsync(source, options, new PercentProgress(source.DataFileLength, output), cancellationToken).ConfigureAwait(false);
            Print(result, output);
            return ExitCodes.Success;
        }
        catch (RestoreRefusedException e)
        {
            await error.WriteLineAsync("vmbackup restore: " + e.Message).ConfigureAwait(false);
            return ExitCodes.FinishedWithFailures;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("vmbackup restore: cancelled; what the restore had created was removed").ConfigureAwait(false);
            return ExitCodes.FinishedWithFailures;
        }
    }

    internal static void Print(RestoreResult result, TextWriter output)
    {
        var seconds = result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var speed = (result.BytesPerSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
        if (result.VmUuid is not null)
        {
            output.WriteLine($"restored VM '{result.VmName}' uuid {result.VmUuid}: {result.Disks.Count} disk(s), {result.NetworkInterfaces} VIF(s){(result.Started ? ", started" : string.Empty)}");
        }

        foreach (var disk in result.Disks)
        {
            output.WriteLine($"  disk {disk.Device}{(disk.UserDevice is null ? string.Empty : " (userdevice " + disk.UserDevice + ")")}: VDI '{disk.NameLabel}' uuid {disk.VdiUuid}, {RestoreServiceText.Size(disk.VirtualSize)}");
        }

        foreach (var note in result.Notes)
        {
            output.WriteLine("  note: " + note);
        }

        output.WriteLine($"uploaded {RestoreServiceText.Size(result.BytesSent)} in {seconds} s ({speed} MB/s)");
    }

    /// <summary>Prints a line at every 10% of the upload.</summary>
    private sealed class PercentProgress(long total, TextWriter output) : IProgress<long>
    {
        private int _lastDecile;

        public void Report(long value)
        {
            if (total <= 0)
            {
                return;
            }

            var decile = (int)Math.Min(10, value * 10 / total);
            if (decile > _lastDecile && decile < 10)
            {
                _lastDecile = decile;
                output.WriteLine($"  {decile * 10}% ({RestoreServiceText.Size(value)})");
            }
        }
    }
}
