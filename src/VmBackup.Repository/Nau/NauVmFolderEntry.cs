namespace VmBackup.Repository.Nau;

/// <summary>
/// One entry of a VM folder. Only directories named <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> are backups; everything
/// else (files, other folders) is a foreign entry that VmBackup never counts and never deletes.
/// </summary>
/// <param name="Name">The entry name.</param>
/// <param name="IsDirectory">True for a directory (not following a symbolic link).</param>
/// <param name="LocalTime">The time parsed from a backup folder name; null for a foreign entry.</param>
/// <param name="IsSuccessful">True when the backup folder holds any success marker.</param>
public sealed record NauVmFolderEntry(string Name, bool IsDirectory, DateTime? LocalTime, bool IsSuccessful)
{
    /// <summary>True for a backup folder, false for a foreign entry.</summary>
    public bool IsBackupFolder => IsDirectory && LocalTime is not null;
}
