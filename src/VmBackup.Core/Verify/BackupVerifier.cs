using System.Text;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>
/// Verifies a NAUbackup restore point (<c>&lt;backup_dir&gt;/&lt;vm&gt;/backup-YYYY-MM-DD-(HH:MM:SS)</c>) by reading every
/// byte of it once:
/// <list type="bullet">
/// <item>a success marker is present (any of the four NAUbackup recognises);</item>
/// <item>every <c>DISK-*</c> folder holds a parseable <c>vbd.cfg</c> and <c>vdi.cfg</c>, every <c>VIFs/vif-*.cfg</c>
/// parses, <c>vm-metadata.xml</c> is well-formed;</item>
/// <item>exactly one data file: an XVA (plain, gzip or zstd) is read through with every chunk checksum verified
/// (<c>.xxhash</c> or legacy <c>.checksum</c>), ova.xml parsed, every disk complete up to its virtual_size, and its
/// disks matching the <c>DISK-*/vdi.cfg</c> count and sizes; a raw image must be exactly
/// <c>DISK-xvda/vdi.cfg</c>'s virtual_size; a VHD must have valid footers, header and BAT, every block inside the file,
/// and the virtual size of <c>DISK-xvda/vdi.cfg</c>;</item>
/// <item>the SHA-256 of the data file, computed in that same pass.</item>
/// </list>
/// The result is written atomically to the <c>verified</c> file of the folder (<see cref="VerificationRecord"/>). The
/// data file is only ever opened for reading.
/// </summary>
public static class BackupVerifier
{
    /// <summary>Verifies the restore point in <paramref name="folder"/> with the default options.</summary>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is not named <c>backup-YYYY-MM-DD-(HH:MM:SS)</c>.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    public static Task<BackupVerification> VerifyAsync(string folder, CancellationToken cancellationToken) =>
        VerifyAsync(folder, null, cancellationToken);

    /// <summary>Verifies the restore point in <paramref name="folder"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is not named <c>backup-YYYY-MM-DD-(HH:MM:SS)</c>.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    public static async Task<BackupVerification> VerifyAsync(string folder, BackupVerifierOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new BackupVerifierOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadBufferSize, 64 * 1024, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ReadBufferSize, 16 * 1024 * 1024, nameof(options));
        var backupFolder = OpenFolder(folder);
        var clock = options.TimeProvider;
        var started = clock.GetTimestamp();
        var findings = new VerificationFindings();

        var point = backupFolder.Describe();
        if (!point.IsSuccessful)
        {
            findings.Fail(
                NauMarkers.FileName(NauSuccessMarker.Success),
                null,
                "missing success marker (none of " + string.Join(", ", NauMarkers.All.Select(NauMarkers.FileName)) + "): the backup did not finish");
        }

        foreach (var partial in point.PartialFiles)
        {
            findings.Warn($"{partial}: leftover of an interrupted write (the next backup run removes it)");
        }

        var (disks, disksComplete) = await MetadataFilesCheck.RunAsync(point.Path, findings, cancellationToken).ConfigureAwait(false);

        NauDataFileInfo? data = null;
        DateTime? modified = null;
        string? sha256 = null;
        long bytesRead = 0;
        if (point.DataFiles.Count == 0)
        {
            findings.Fail(
                NauNames.DataFileName(backupFolder.VmFolder.VmName, NauDataFileKind.Xva),
                null,
                "no data file (" + backupFolder.VmFolder.FolderName + " with .xva, .xva.gz, .xva.zst, .raw or .vhd)");
        }
        else if (point.DataFiles.Count > 1)
        {
            findings.Fail(point.DataFiles[0].FileName, null, "more than one data file: " + string.Join(", ", point.DataFiles.Select(d => d.FileName)));
        }
        else
        {
            data = point.DataFiles[0];
            var path = Path.Combine(point.Path, data.FileName);
            var info = new FileInfo(path);
            modified = info.LastWriteTimeUtc;
            data = data with { Length = info.Length };
            (sha256, bytesRead) = await DataFileCheck.RunAsync(point.Path, data, disks, disksComplete, options.ReadBufferSize, findings, cancellationToken).ConfigureAwait(false);
        }

        var duration = clock.GetElapsedTime(started);
        var now = clock.GetUtcNow();
        var record = new VerificationRecord(
            now,
            findings.Failures.Count == 0,
            data?.FileName,
            data is null ? null : VerificationRecord.KindName(data.Kind),
            data?.Length,
            modified is { } m ? new DateTimeOffset(m, TimeSpan.Zero) : null,
            sha256,
            bytesRead,
            duration,
            [.. findings.Failures]);
        var written = options.WriteRecord && await TryWriteRecordAsync(backupFolder, record, findings, cancellationToken).ConfigureAwait(false);
        return new BackupVerification(
            point.Path,
            backupFolder.VmFolder.FolderName,
            backupFolder.Name,
            data,
            sha256,
            bytesRead,
            duration,
            now,
            [.. findings.Failures],
            [.. findings.Warnings],
            written);
    }

    private static NauBackupFolder OpenFolder(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var name = Path.GetFileName(full);
        if (!NauNames.TryParseBackupFolderName(name, out _))
        {
            throw new ArgumentException($"{folder} is not a backup folder (its name is not backup-YYYY-MM-DD-(HH:MM:SS))", nameof(folder));
        }

        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"backup folder {folder} does not exist");
        }

        var vmDir = Path.GetDirectoryName(full)!;
        var rootDir = Path.GetDirectoryName(vmDir) ?? vmDir;
        return new NauBackupRoot(rootDir).VmFolder(Path.GetFileName(vmDir)).Open(name);
    }

    private static async Task<bool> TryWriteRecordAsync(NauBackupFolder folder, VerificationRecord record, VerificationFindings findings, CancellationToken cancellationToken)
    {
        try
        {
            var output = await folder.OpenDataFileForWriteAsync(VerificationRecord.FileName, cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(record.Format()), cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Warn($"{VerificationRecord.FileName} could not be written: {e.Message}");
            return false;
        }
    }
}
