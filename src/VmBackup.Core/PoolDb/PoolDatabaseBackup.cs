using System.Globalization;
using VmBackup.Core.Backup;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// Backs up the pool database (<c>GET /pool/xmldbdump</c>, what <c>xe pool-dump-database</c> does): streams the dump,
/// optionally encrypted (<see cref="PoolDbCipher"/>), to a file written atomically with mode 0600, since the dump holds
/// the pool's secrets. Used by <c>vmbackup pool-db backup</c> and by the NAUbackup <c>pool_db_backup=1</c> step.
/// </summary>
/// <param name="transfers">The pool's HTTP transfers.</param>
public sealed class PoolDatabaseBackup(XenApiTransfers transfers)
{
    /// <summary>The folder under the backup directory that <c>vmbackup pool-db backup</c> writes to.</summary>
    public const string FolderName = "POOL_DB";

    /// <summary>The suffix added to the name of an encrypted dump.</summary>
    public const string EncryptedSuffix = ".enc";

    /// <summary>
    /// The name of a dump taken at <paramref name="localTime"/>: <c>pool_db_YYYYMMDD-HHMMSS.dump</c> (NAUbackup's name),
    /// plus <see cref="EncryptedSuffix"/> when encrypted.
    /// </summary>
    public static string FileName(DateTimeOffset localTime, bool encrypted) =>
        "pool_db_" + localTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".dump" + (encrypted ? EncryptedSuffix : string.Empty);

    /// <summary>
    /// Streams the dump to <paramref name="output"/>, encrypted with <paramref name="key"/> unless null, and checks
    /// the export task succeeded. Returns the size of the (plain) dump.
    /// </summary>
    public async Task<long> WriteAsync(Stream output, PoolDbKey? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var export = await transfers.ExportPoolDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await using (export.ConfigureAwait(false))
        {
            var length = key is null
                ? await StreamPump.CopyAsync(export, output, null, cancellationToken).ConfigureAwait(false)
                : await PoolDbCipher.EncryptAsync(export, output, key, cancellationToken).ConfigureAwait(false);
            await export.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return length;
        }
    }

    /// <summary>
    /// Writes a new dump into <paramref name="folder"/> (created with mode 0700 when missing) named by
    /// <see cref="FileName"/>, atomically, mode 0600. Returns its path.
    /// </summary>
    public async Task<string> BackupToFolderAsync(string folder, DateTimeOffset localTime, PoolDbKey? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var path = Path.Combine(folder, FileName(localTime, key is not null));
        var file = PrivateFile.Create(path);
        await using (file.ConfigureAwait(false))
        {
            await WriteAsync(file.Stream, key, cancellationToken).ConfigureAwait(false);
            await file.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return path;
    }
}
