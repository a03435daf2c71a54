using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VmBackup.Core.Metadata;
using VmBackup.Xapi;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup metadata backup|list|restore</c>: what <c>xe-backup-metadata</c> and <c>xe-restore-metadata</c> do,
/// through the API (see <see cref="MetadataBackupService"/>, <see cref="MetadataRestoreService"/>). The backups are kept
/// in <c>&lt;backup_dir&gt;/vm-metadata/</c>, or with <c>--sr SR</c> in that SR's <c>Pool Metadata Backup</c> VDI. Exit 0
/// when done, 1 for usage or connection errors, 2 when the backup was refused or a VM was not restored (conflict or
/// failure).
/// </summary>
internal static class MetadataCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time) =>
        new("metadata", "Back up and restore the pool's VM metadata (what xe-backup-metadata / xe-restore-metadata do)")
        {
            Backup(output, error, environment, time),
            List(output, error, environment),
            Restore(output, error, environment),
        };

    private static Command Backup(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider time)
    {
        var connection = new ConnectionOptions(environment);
        var sr = SrOption();
        var keep = new Option<int>("--keep") { Description = "How many dated backups to keep", DefaultValueFactory = _ => MetadataBackupOptions.DefaultKeep };
        var maxSize = MaxSizeOption();
        var command = new Command("backup", "Back up the pool database, every VM's and custom template's metadata and the SR description as one dated backup")
        {
            sr, keep, maxSize,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(keep) < 1)
            {
                await error.WriteLineAsync("vmbackup metadata backup: --keep must be at least 1").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            return await WithStoreAsync("backup", connection, result, sr, maxSize, error, async (session, store) =>
            {
                var done = await new MetadataBackupService(session!).BackUpAsync(store, new MetadataBackupOptions { Keep = result.GetValue(keep), TimeProvider = time }, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"metadata backup {done.Set.Name}: {done.Set.Vms} VM(s), {done.Set.Bytes} bytes, in {done.Store}; {done.Kept.Count} backup(s) kept").ConfigureAwait(false);
                return ExitCodes.Success;
            }, needsSession: true, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var sr = SrOption();
        var json = new Option<bool>("--json") { Description = "Print a JSON array, newest first: {name, date, vms, bytes, srs} (srs: the SR uuids of the by-SR index, null when the backup has none)" };
        var maxSize = MaxSizeOption();
        var command = new Command("list", "List the metadata backups, newest first") { sr, json, maxSize };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
            await WithStoreAsync("list", connection, result, sr, maxSize, error, async (_, store) =>
            {
                var sets = await store.ListAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(result.GetValue(json) ? Json(sets) : Table(sets, store.Description)).ConfigureAwait(false);
                return ExitCodes.Success;
            }, needsSession: result.GetValue(sr) is not null, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static Command Restore(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var sr = SrOption();
        var date = new Option<string?>("--date") { Description = "The backup to restore: YYYY-MM-DD[-HH-MM-SS] or a prefix (the newest match) [default: the newest]" };
        var vms = new Option<string[]>("--vm") { Description = "Only this VM (name or uuid); repeat for several [default: all]", AllowMultipleArgumentsPerToken = false };
        var bySr = new Option<string?>("--by-sr") { Description = "Only the VMs with a disk on this SR (name or uuid) as the backup's by-SR index records them (xe-restore-metadata -m sr)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be created or conflict; change nothing" };
        var maxSize = MaxSizeOption();
        var command = new Command("restore", "Re-create VMs from a metadata backup (uuids kept, pointing at their existing disks)")
        {
            date, vms, bySr, sr, dryRun, maxSize,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
            await WithStoreAsync("restore", connection, result, sr, maxSize, error, async (session, store) =>
            {
                var options = new MetadataRestoreOptions { Date = result.GetValue(date), Vms = result.GetValue(vms) ?? [], BySr = result.GetValue(bySr), DryRun = result.GetValue(dryRun) };
                var done = await new MetadataRestoreService(session!).RestoreAsync(store, options, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"metadata backup {done.Set}{(options.DryRun ? " (dry run: nothing changed)" : string.Empty)}:").ConfigureAwait(false);
                foreach (var item in done.Items)
                {
                    var what = item.Outcome switch
                    {
                        MetadataRestoreOutcome.Created => "created",
                        MetadataRestoreOutcome.WouldCreate => "would create",
                        MetadataRestoreOutcome.Conflict => "conflict",
                        _ => "failed",
                    };
                    await output.WriteLineAsync($"  {what}: VM '{item.VmName}'{(item.VmUuid.Length > 0 ? " uuid " + item.VmUuid : string.Empty)}{(item.Detail is null ? string.Empty : ": " + item.Detail)}").ConfigureAwait(false);
                }

                if (done.VdiNamesRestored > 0)
                {
                    await output.WriteLineAsync($"  {done.VdiNamesRestored} VDI name(s) restored from {MetadataFileNames.SrMeta}").ConfigureAwait(false);
                }

                return done.Items.All(i => i.Outcome is MetadataRestoreOutcome.Created or MetadataRestoreOutcome.WouldCreate) ? ExitCodes.Success : ExitCodes.FinishedWithFailures;
            }, needsSession: true, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static Option<string?> SrOption() =>
        new("--sr") { Description = "Keep the backups in this SR's 'Pool Metadata Backup' VDI (name or uuid) instead of <backup_dir>/vm-metadata" };

    private static Option<long> MaxSizeOption() =>
        new("--max-size") { Description = "Size of the Pool Metadata Backup VDI in bytes", DefaultValueFactory = _ => PoolMetadataVdi.DefaultSize, Hidden = true };

    /// <summary>Opens the store (logging in when needed) and runs <paramref name="action"/>; prints refusals as one line.</summary>
    private static async Task<int> WithStoreAsync(
        string verb,
        ConnectionOptions connection,
        ParseResult result,
        Option<string?> sr,
        Option<long> maxSize,
        TextWriter error,
        Func<XenApiSession?, IMetadataStore, Task<int>> action,
        bool needsSession,
        CancellationToken cancellationToken)
    {
        XenApiSession? session = null;
        if (needsSession)
        {
            session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrSetupError;
            }
        }

        try
        {
            IMetadataStore store = result.GetValue(sr) is { } srName
                ? await SrMetadataStore.OpenAsync(session!, srName, result.GetValue(maxSize), cancellationToken).ConfigureAwait(false)
                : new FolderMetadataStore(Path.Combine(connection.BackupDirectory(result), FolderMetadataStore.DefaultSubfolder));
            return await action(session, store).ConfigureAwait(false);
        }
        catch (MetadataBackupException e)
        {
            await error.WriteLineAsync($"vmbackup metadata {verb}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.FinishedWithFailures;
        }
        catch (XenApiException e)
        {
            await error.WriteLineAsync($"vmbackup metadata {verb}: XAPI error {e.ErrorCode} {string.Join(" ", e.ErrorParameters)}".TrimEnd()).ConfigureAwait(false);
            return ExitCodes.FinishedWithFailures;
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static string Table(IReadOnlyList<MetadataSetInfo> sets, string where)
    {
        if (sets.Count == 0)
        {
            return "no metadata backup in " + where;
        }

        var lines = new List<string> { $"{sets.Count} metadata backup(s) in {where}, newest first:", "  DATE (UTC)           VMS        BYTES  SRS INDEXED" };
        lines.AddRange(sets.Select(s => string.Create(CultureInfo.InvariantCulture, $"  {s.Date:yyyy-MM-dd HH:mm:ss}  {s.Vms,5}  {s.Bytes,11}  {(s.Srs is null ? "-" : s.Srs.Count == 0 ? "(none)" : string.Join(",", s.Srs))}")));
        return string.Join(Environment.NewLine, lines);
    }

    internal static string Json(IReadOnlyList<MetadataSetInfo> sets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var s in sets)
            {
                writer.WriteStartObject();
                writer.WriteString("name", s.Name);
                writer.WriteString("date", s.Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                writer.WriteNumber("vms", s.Vms);
                writer.WriteNumber("bytes", s.Bytes);
                if (s.Srs is null)
                {
                    writer.WriteNull("srs");
                }
                else
                {
                    writer.WriteStartArray("srs");
                    foreach (var sr in s.Srs)
                    {
                        writer.WriteStringValue(sr);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
