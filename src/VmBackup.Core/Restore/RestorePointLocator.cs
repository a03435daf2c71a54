using System.Globalization;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Restore;

/// <summary>Finds the backup folder to restore: a folder path as given, or a VM's newest successful backup (at or before a time).</summary>
public static class RestorePointLocator
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd-HH:mm:ss", "yyyy-MM-dd-(HH:mm:ss)",
    ];

    /// <summary>
    /// Parses a <c>--at</c> value: <c>YYYY-MM-DD</c> means the end of that day (local time of the backup names),
    /// <c>YYYY-MM-DD HH:MM[:SS]</c> (or with <c>T</c>) that instant.
    /// </summary>
    public static bool TryParseAt(string text, out DateTime at)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            return false;
        }

        if (text.Trim().Length == 10)
        {
            at = at.AddDays(1).AddTicks(-1);
        }

        return true;
    }

    /// <summary>
    /// The folder for <paramref name="backupOrVm"/>: an existing <c>backup-…</c> directory is used as is; otherwise it
    /// is a VM name under <paramref name="backupDir"/> and its newest successful backup (at or before
    /// <paramref name="at"/>) is chosen.
    /// </summary>
    /// <exception cref="RestoreRefusedException">No such folder or VM, or no successful backup (before <paramref name="at"/>).</exception>
    public static string Locate(string backupOrVm, string backupDir, DateTime? at)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupOrVm);
        var trimmed = Path.TrimEndingDirectorySeparator(backupOrVm);
        if (NauNames.TryParseBackupFolderName(Path.GetFileName(trimmed), out _) && Directory.Exists(trimmed))
        {
            if (at is not null)
            {
                throw new RestoreRefusedException("--at chooses among a VM's backups: give a VM name, not a backup folder, with --at");
            }

            return trimmed;
        }

        var folder = new NauBackupRoot(backupDir).VmFolder(backupOrVm);
        if (!folder.Exists)
        {
            throw new RestoreRefusedException($"'{backupOrVm}' is neither a backup folder nor a VM with backups in {backupDir} (set --backup-dir or VMBACKUP_BACKUP_DIR)");
        }

        var points = folder.ListRestorePoints().Where(p => p.IsSuccessful && (at is null || p.LocalTime <= at)).ToList();
        if (points.Count == 0)
        {
            throw new RestoreRefusedException(at is null
                ? $"VM '{backupOrVm}' has no successful backup in {folder.Path}"
                : $"VM '{backupOrVm}' has no successful backup at or before {at.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} in {folder.Path}");
        }

        return points.MaxBy(p => p.LocalTime)!.Path;
    }
}
