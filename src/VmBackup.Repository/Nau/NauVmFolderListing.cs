namespace VmBackup.Repository.Nau;

/// <summary>The entries of a VM folder at one moment, in ordinal name order (v3.25's <c>sorted(os.listdir())</c>).</summary>
public sealed class NauVmFolderListing
{
    /// <summary>Creates a listing; the entries are sorted ordinally by name.</summary>
    public NauVmFolderListing(IEnumerable<NauVmFolderEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)];
        Backups = [.. Entries.Where(e => e.IsBackupFolder)];
        Foreign = [.. Entries.Where(e => !e.IsBackupFolder)];
    }

    /// <summary>All entries, backups and foreign, sorted ordinally.</summary>
    public IReadOnlyList<NauVmFolderEntry> Entries { get; }

    /// <summary>The backup folders, oldest first (zero-padded names sort by time).</summary>
    public IReadOnlyList<NauVmFolderEntry> Backups { get; }

    /// <summary>Entries that are not backup folders (stray files, other folders, symbolic links).</summary>
    public IReadOnlyList<NauVmFolderEntry> Foreign { get; }

    /// <summary>The newest successful backup folder, if any.</summary>
    public NauVmFolderEntry? NewestSuccessful => Backups.LastOrDefault(b => b.IsSuccessful);
}
