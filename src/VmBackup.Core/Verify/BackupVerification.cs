using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>The result of <see cref="BackupVerifier.VerifyAsync(string, CancellationToken)"/> for one restore point.</summary>
/// <param name="FolderPath">The backup folder (<c>&lt;backup_dir&gt;/&lt;vm&gt;/backup-YYYY-MM-DD-(HH:MM:SS)</c>).</param>
/// <param name="VmFolderName">The name of the VM folder (the VM's name-label, <c>/</c> written as <c>%2F</c>).</param>
/// <param name="BackupName">The backup folder name.</param>
/// <param name="DataFile">The data file verified, or null when there is none (or more than one).</param>
/// <param name="Sha256">SHA-256 of the data file as stored (lower-case hex, what <c>sha256sum</c> prints), or null when it was not read to the end.</param>
/// <param name="BytesRead">Bytes of the data file read.</param>
/// <param name="Duration">Wall-clock time of the verification.</param>
/// <param name="VerifiedAt">When the verification finished (UTC).</param>
/// <param name="Failures">What is wrong; empty when the restore point is OK.</param>
/// <param name="Warnings">Notes that do not make the restore point fail (leftover <c>.partial</c> files, an empty <c>vm-metadata.xml</c>, the <c>verified</c> file could not be written).</param>
/// <param name="RecordWritten">True when the <c>verified</c> file was written.</param>
public sealed record BackupVerification(
    string FolderPath,
    string VmFolderName,
    string BackupName,
    NauDataFileInfo? DataFile,
    string? Sha256,
    long BytesRead,
    TimeSpan Duration,
    DateTimeOffset VerifiedAt,
    IReadOnlyList<VerificationFailure> Failures,
    IReadOnlyList<string> Warnings,
    bool RecordWritten)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool IsOk => Failures.Count == 0;

    /// <summary>Bytes per second over <see cref="Duration"/> (0 for an instant run).</summary>
    public double BytesPerSecond => Duration > TimeSpan.Zero ? BytesRead / Duration.TotalSeconds : 0;
}
