using System.Globalization;
using System.Text;

namespace VmBackup.Repository.Nau;

/// <summary>
/// The names v3.25 gives to folders and files: <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> (its <c>BACKUP_DIR_PATTERN</c>),
/// <c>METADATA_&lt;host&gt;</c>, <c>pool_db_YYYYMMDD-HHMMSS.dump</c>, and the VM folder name.
/// </summary>
public static class NauNames
{
    /// <summary>The prefix of every backup folder.</summary>
    public const string BackupFolderPrefix = "backup-";

    private const string BackupFolderFormat = "'backup-'yyyy'-'MM'-'dd'-('HH':'mm':'ss')'";

    /// <summary>
    /// <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> for a local time (zero padded, 24 hours). Only the wall-clock fields of
    /// <paramref name="localTime"/> are used; its offset is ignored.
    /// </summary>
    public static string BackupFolderName(DateTimeOffset localTime) =>
        localTime.ToString(BackupFolderFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a backup folder name back to its local wall-clock time. Only the exact v3.25 form is accepted
    /// (<c>backup-2019-06-30-(16:52:37)</c>); anything else, such as <c>backup-old</c>, is not a backup folder.
    /// </summary>
    public static bool TryParseBackupFolderName(string name, out DateTime localTime)
    {
        ArgumentNullException.ThrowIfNull(name);
        return DateTime.TryParseExact(name, BackupFolderFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out localTime);
    }

    /// <summary><c>METADATA_&lt;shorthost&gt;</c>, the folder of the pool database dumps.</summary>
    public static string MetadataFolderName(string shortHost) => "METADATA_" + ToPathSegment(shortHost, nameof(shortHost));

    /// <summary><c>pool_db_YYYYMMDD-HHMMSS.dump</c> for a local time.</summary>
    public static string PoolDumpFileName(DateTimeOffset localTime) =>
        localTime.ToString("'pool_db_'yyyyMMdd'-'HHmmss'.dump'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The folder name of a VM: its exact name-label, spaces and all. v3.25 joins the name into a path as is, so a
    /// <c>/</c> nests folders (and <c>..</c> climbs out of <c>backup_dir</c>). VmBackup keeps every name without
    /// <c>/</c> unchanged and writes <c>/</c> as <c>%2F</c> (and NUL as <c>%00</c>), so a VM folder is always one
    /// direct child of <c>backup_dir</c>. See <see cref="ToPathSegment"/> for the names that are refused.
    /// </summary>
    public static string VmFolderName(string vmName) => ToPathSegment(vmName, nameof(vmName));

    /// <summary>The data file name <c>&lt;vm_name&gt;&lt;extension&gt;</c>, e.g. <c>DEV 1.xva.gz</c>.</summary>
    public static string DataFileName(string vmName, NauDataFileKind kind) =>
        ToPathSegment(vmName, nameof(vmName)) + NauDataFileKinds.Extension(kind);

    /// <summary>
    /// Makes one path segment of a name: <c>/</c> becomes <c>%2F</c>, NUL becomes <c>%00</c>, everything else is
    /// kept. The empty name, <c>.</c> and <c>..</c> cannot name a folder of their own and are refused with
    /// <see cref="ArgumentException"/>, so bad input never reaches another folder.
    /// </summary>
    public static string ToPathSegment(string name, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0 || name == "." || name == "..")
        {
            throw new ArgumentException($"'{name}' cannot be used as a file or folder name", paramName ?? nameof(name));
        }

        if (name.IndexOfAny(['/', '\0']) < 0)
        {
            return name;
        }

        var sb = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            _ = c switch
            {
                '/' => sb.Append("%2F"),
                '\0' => sb.Append("%00"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
