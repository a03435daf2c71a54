namespace VmBackup.Repository.Nau;

/// <summary>
/// A NAUbackup <c>backup_dir</c>: one folder per VM (<see cref="NauVmFolder"/>) and <c>METADATA_&lt;host&gt;</c>
/// for the pool database dumps.
/// </summary>
public sealed class NauBackupRoot
{
    /// <summary>The file mode of pool database dumps (they hold the whole pool database).</summary>
    public const UnixFileMode PoolDumpMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the model of <paramref name="backupDir"/>, kept exactly as configured for log lines.</summary>
    public NauBackupRoot(string backupDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupDir);
        Path = backupDir;
    }

    /// <summary>The backup directory as configured.</summary>
    public string Path { get; }

    /// <summary>True when the directory exists.</summary>
    public bool Exists => Directory.Exists(Path);

    /// <summary>
    /// Python's <c>os.path.join(dir, name)</c> for one name: no separator is added when <paramref name="directory"/>
    /// already ends with <c>/</c>. This is how v3.25 spells paths in its log lines.
    /// </summary>
    public static string Join(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(name);
        return directory.Length == 0 || directory.EndsWith('/') ? directory + name : directory + "/" + name;
    }

    /// <summary>The folder of the VM named <paramref name="vmName"/> (see <see cref="NauNames.VmFolderName"/>).</summary>
    public NauVmFolder VmFolder(string vmName) => new(this, vmName);

    /// <summary>
    /// The names of the VM folders present: every directory except <c>METADATA_*</c>, ordinally sorted. The names
    /// are folder names (a <c>/</c> in a VM name appears as <c>%2F</c>).
    /// </summary>
    public IReadOnlyList<string> ListVmFolderNames()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        return [.. new DirectoryInfo(Path).EnumerateDirectories()
            .Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)
            .Select(d => d.Name)
            .Where(n => !n.StartsWith("METADATA_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary><c>&lt;backup_dir&gt;/METADATA_&lt;shorthost&gt;</c>.</summary>
    public string MetadataFolderPath(string shortHost) => Join(Path, NauNames.MetadataFolderName(shortHost));

    /// <summary><c>&lt;backup_dir&gt;/METADATA_&lt;shorthost&gt;/pool_db_YYYYMMDD-HHMMSS.dump</c> for a local time.</summary>
    public string PoolDumpPath(string shortHost, DateTimeOffset localTime) =>
        Join(MetadataFolderPath(shortHost), NauNames.PoolDumpFileName(localTime));

    /// <summary>
    /// Creates <c>METADATA_&lt;shorthost&gt;</c> if needed and opens the pool dump for the local time for writing,
    /// through a <c>.partial</c> file created with mode 0600 (<see cref="PoolDumpMode"/>). Commit the stream to keep it.
    /// </summary>
    public Task<NauPartialFileStream> OpenPoolDumpForWriteAsync(string shortHost, DateTimeOffset localTime, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(MetadataFolderPath(shortHost));
        return Task.FromResult(new NauPartialFileStream(PoolDumpPath(shortHost, localTime), PoolDumpMode));
    }
}
