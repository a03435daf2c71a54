using VmBackup.Repository.Nau.Retention;

namespace VmBackup.Repository.Nau;

/// <summary>
/// <c>&lt;backup_dir&gt;/&lt;vm_name&gt;</c>: the backup folders of one VM. Listing, creating the new backup folder,
/// and carrying out retention plans (<see cref="NauRetentionPlanner"/>).
/// </summary>
public sealed class NauVmFolder
{
    internal NauVmFolder(NauBackupRoot root, string vmName)
    {
        Root = root;
        VmName = vmName;
        FolderName = NauNames.VmFolderName(vmName);
        Path = NauBackupRoot.Join(root.Path, FolderName);
    }

    /// <summary>The backup directory.</summary>
    public NauBackupRoot Root { get; }

    /// <summary>The VM's name-label.</summary>
    public string VmName { get; }

    /// <summary>The folder name (the name-label, <c>/</c> written as <c>%2F</c>).</summary>
    public string FolderName { get; }

    /// <summary>The path, spelled like v3.25's log lines: <c>os.path.join(backup_dir, vm_name)</c>.</summary>
    public string Path { get; }

    /// <summary>True when the folder exists.</summary>
    public bool Exists => Directory.Exists(Path);

    /// <summary>Creates the folder if missing.</summary>
    public void EnsureExists() => Directory.CreateDirectory(Path);

    /// <summary>Lists the entries now (empty when the folder does not exist).</summary>
    public NauVmFolderListing List()
    {
        if (!Directory.Exists(Path))
        {
            return new NauVmFolderListing([]);
        }

        var entries = new List<NauVmFolderEntry>();
        foreach (var info in new DirectoryInfo(Path).EnumerateFileSystemInfos())
        {
            var isDirectory = info is DirectoryInfo && (info.Attributes & FileAttributes.ReparsePoint) == 0;
            DateTime? time = null;
            var successful = false;
            if (isDirectory && NauNames.TryParseBackupFolderName(info.Name, out var t))
            {
                time = t;
                successful = NauMarkers.All.Any(m => System.IO.Path.Exists(System.IO.Path.Combine(info.FullName, NauMarkers.FileName(m))));
            }

            entries.Add(new NauVmFolderEntry(info.Name, isDirectory, time, successful));
        }

        return new NauVmFolderListing(entries);
    }

    /// <summary>The restore points (backup folders), oldest first, with markers, data file kinds and sizes.</summary>
    public IReadOnlyList<NauRestorePoint> ListRestorePoints() =>
        [.. List().Backups.Select(b => Open(b.Name).Describe())];

    /// <summary>The existing backup folder <paramref name="name"/>; it must be a <c>backup-…</c> name.</summary>
    public NauBackupFolder Open(string name)
    {
        if (!NauNames.TryParseBackupFolderName(name, out var time))
        {
            throw new ArgumentException($"'{name}' is not a backup folder name", nameof(name));
        }

        return new NauBackupFolder(this, name, time);
    }

    /// <summary>
    /// Creates <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> for <paramref name="localNow"/> (and the VM folder if missing).
    /// An existing failed folder of the same name is reused, as in v3.25. An existing <em>successful</em> folder of the
    /// same name (two runs in one second) is never reused: <see cref="IOException"/>, so it cannot be damaged.
    /// </summary>
    public NauBackupFolder CreateBackupFolder(DateTimeOffset localNow)
    {
        EnsureExists();
        var name = NauNames.BackupFolderName(localNow);
        var folder = Open(name);
        if (Directory.Exists(folder.Path) && folder.IsSuccessful)
        {
            throw new IOException($"backup folder {folder.Path} already exists and holds a successful backup; not reusing it");
        }

        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    /// <summary>
    /// Deletes the <c>*.partial</c> files that killed runs left in this VM's backup folders, except in
    /// <paramref name="currentFolderName"/>. Returns the deleted paths.
    /// </summary>
    public IReadOnlyList<string> RemovePartialFiles(string? currentFolderName)
    {
        var removed = new List<string>();
        foreach (var backup in List().Backups)
        {
            if (string.Equals(backup.Name, currentFolderName, StringComparison.Ordinal))
            {
                continue;
            }

            var folder = Open(backup.Name);
            foreach (var partial in folder.Describe().PartialFiles)
            {
                var path = NauBackupRoot.Join(folder.Path, partial);
                File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    /// <summary>
    /// Carries out a retention plan in order: each step's message goes to <paramref name="log"/>, then its folder (if
    /// any) is deleted. Before deleting, the entry is checked again: only a real directory with a <c>backup-…</c>
    /// name is ever deleted, never a file or a symbolic link.
    /// </summary>
    public Task ExecuteAsync(NauRetentionPlan plan, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var step in plan.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log(step.Message);
            if (step.DeleteFolder is { } name)
            {
                DeleteBackupFolder(name);
            }
        }

        return Task.CompletedTask;
    }

    private void DeleteBackupFolder(string name)
    {
        if (!NauNames.TryParseBackupFolderName(name, out _))
        {
            throw new InvalidOperationException($"refusing to delete '{name}': not a backup folder name");
        }

        var path = NauBackupRoot.Join(Path, name);
        var info = new DirectoryInfo(path);
        if (!info.Exists)
        {
            return;
        }

        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new InvalidOperationException($"refusing to delete '{path}': a symbolic link");
        }

        info.Delete(recursive: true);
    }
}
