using System.CommandLine;
using VmBackup.Core.PoolDb;
using VmBackup.Xapi;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup pool-db backup [--keep N] [--key-file K | --encrypt]</c>, <c>vmbackup pool-db restore FILE [--dry-run]
/// [--yes] [--force] [--key-file K]</c> and <c>vmbackup pool-db keygen FILE</c> (see docs/metadata.md). A passphrase is
/// read only from <c>VMBACKUP_POOLDB_PASSPHRASE</c>. Exit 0 when done, 1 for usage, key, connection errors or a
/// corrupt dump (then nothing is sent), 2 when the restore was refused or the pool failed the transfer.
/// </summary>
internal static class PoolDbCommand
{
    /// <summary>The environment variable holding the passphrase of encrypted dumps.</summary>
    public const string PassphraseVariable = "VMBACKUP_POOLDB_PASSPHRASE";

    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time)
    {
        var command = new Command("pool-db", "Back up or restore the pool database (xe pool-dump-database / pool-restore-database)")
        {
            Backup(output, error, environment, time),
            Restore(output, error, environment),
            KeyGen(output, error),
        };
        return command;
    }

    private static Command Backup(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time)
    {
        var connection = new ConnectionOptions(environment);
        var keep = new Option<int?>("--keep") { Description = "Keep only the newest N dumps of the folder" };
        var keyFile = new Option<string?>("--key-file") { Description = "Encrypt with the 32-byte key of this file (mode 0600; see pool-db keygen)" };
        var encrypt = new Option<bool>("--encrypt") { Description = "Encrypt with the passphrase of env " + PassphraseVariable };
        var command = new Command("backup", "Dump the pool database to <backup-dir>/" + PoolDatabaseBackup.FolderName + "/pool_db_YYYYMMDD-HHMMSS.dump[.enc] (mode 0600)")
        {
            keep, keyFile, encrypt,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(keep) is < 1)
            {
                await error.WriteLineAsync("vmbackup pool-db backup: --keep must be at least 1").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            PoolDbKey? key;
            try
            {
                key = result.GetValue(keyFile) is { } file
                    ? PoolDbKey.FromKeyFile(file)
                    : result.GetValue(encrypt) ? Passphrase(environment) ?? throw new PoolDbException("--encrypt needs a passphrase in env " + PassphraseVariable + " (a passphrase is never taken as an argument)") : null;
            }
            catch (PoolDbException e)
            {
                await error.WriteLineAsync("vmbackup pool-db backup: " + e.Message).ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            using (key)
            {
                var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
                if (session is null)
                {
                    return ExitCodes.UsageOrSetupError;
                }

                await using (session.ConfigureAwait(false))
                {
                    var folder = Path.Combine(connection.BackupDirectory(result), PoolDatabaseBackup.FolderName);
                    try
                    {
                        var path = await new PoolDatabaseBackup(new XenApiTransfers(session)).BackupToFolderAsync(folder, time.GetLocalNow(), key, cancellationToken).ConfigureAwait(false);
                        await output.WriteLineAsync($"wrote {path} ({new FileInfo(path).Length} bytes, mode 0600{(key is null ? string.Empty : ", AES-256-GCM encrypted with a " + (key.Kind == PoolDbKeyKind.KeyFile ? "key file" : "passphrase"))})").ConfigureAwait(false);
                        if (key is null)
                        {
                            await output.WriteLineAsync("note: the dump holds the pool's secrets: keep it private (or use --key-file / --encrypt)").ConfigureAwait(false);
                        }

                        if (result.GetValue(keep) is { } n)
                        {
                            foreach (var deleted in PoolDbRotation.Rotate(folder, n))
                            {
                                await output.WriteLineAsync("deleted old dump " + deleted).ConfigureAwait(false);
                            }
                        }

                        return ExitCodes.Success;
                    }
                    catch (Exception e) when (e is XenApiException or XenApiConnectionException or IOException or UnauthorizedAccessException)
                    {
                        await error.WriteLineAsync("vmbackup pool-db backup: failed: " + e.Message).ConfigureAwait(false);
                        return ExitCodes.FinishedWithFailures;
                    }
                }
            }
        });
        return command;
    }

    private static Command Restore(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var file = new Argument<string>("file") { Description = "A dump written by pool-db backup or xe pool-dump-database (plain or encrypted)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only check the dump and let the pool validate it; change nothing" };
        var yes = new Option<bool>("--yes") { Description = "Really restore (replaces the pool database and restarts the toolstack)" };
        var force = new Option<bool>("--force") { Description = "Restore a dump of another pool (e.g. onto a freshly installed host)" };
        var keyFile = new Option<string?>("--key-file") { Description = "Key file of an encrypted dump [else the passphrase of env " + PassphraseVariable + "]" };
        var command = new Command("restore", "Check a pool database dump against the pool and restore it (dry run first)")
        {
            file, dryRun, yes, force, keyFile,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            PoolDbDumpFile dump;
            try
            {
                using var key = result.GetValue(keyFile) is { } k ? PoolDbKey.FromKeyFile(k) : Passphrase(environment);
                dump = await PoolDbDumpFile.OpenAsync(result.GetValue(file)!, key, cancellationToken).ConfigureAwait(false);
            }
            catch (PoolDbException e)
            {
                await error.WriteLineAsync("vmbackup pool-db restore: " + e.Message).ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            await using (dump.ConfigureAwait(false))
            {
                var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
                if (session is null)
                {
                    return ExitCodes.UsageOrSetupError;
                }

                await using (session.ConfigureAwait(false))
                {
                    var restore = new PoolDatabaseRestore(session, new XenApiTransfers(session), line => output.WriteLine(line));
                    var options = new PoolDbRestoreOptions { DryRun = result.GetValue(dryRun), Yes = result.GetValue(yes), Force = result.GetValue(force) };
                    try
                    {
                        await restore.RestoreAsync(dump, options, cancellationToken).ConfigureAwait(false);
                        return ExitCodes.Success;
                    }
                    catch (PoolDbRestoreRefusedException e)
                    {
                        await error.WriteLineAsync("vmbackup pool-db restore: " + e.Message).ConfigureAwait(false);
                        return ExitCodes.FinishedWithFailures;
                    }
                    catch (Exception e) when (e is XenApiException or XenApiConnectionException or IOException)
                    {
                        await error.WriteLineAsync("vmbackup pool-db restore: failed: " + e.Message).ConfigureAwait(false);
                        return ExitCodes.FinishedWithFailures;
                    }
                }
            }
        });
        return command;
    }

    private static Command KeyGen(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "Key file to create (mode 0600, never overwritten)" };
        var command = new Command("keygen", "Create a random 32-byte key file for encrypted pool database dumps") { file };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            try
            {
                PoolDbKey.Generate(path);
            }
            catch (Exception e) when (e is PoolDbException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync("vmbackup pool-db keygen: " + e.Message).ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            await output.WriteLineAsync($"wrote key file {path} (mode 0600): keep a copy apart from the dumps; without it they cannot be restored").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static PoolDbKey? Passphrase(Func<string, string?> environment) =>
        environment(PassphraseVariable) is { Length: > 0 } passphrase ? PoolDbKey.FromPassphrase(passphrase) : null;
}
