namespace VmBackup.Core.Metadata;

/// <summary>
/// Metadata backups as dated folders under <see cref="Root"/> (<c>&lt;root&gt;/&lt;YYYY-MM-DD-HH-MM-SS&gt;/…</c>, the
/// layout <c>xe-backup-metadata</c> uses inside its VDI). A new backup is written to a hidden <c>.partial</c> folder and
/// renamed when complete, then the oldest folders beyond the count to keep are deleted. The by-SR index is written as
/// <c>link-vms-by-sr.py</c> does: relative symlinks <c>by-sr/&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta -&gt;
/// ../../all/&lt;vm_uuid&gt;.vmmeta</c> (<see cref="MetadataBySr"/>); on a file system without symlinks (a CIFS share)
/// the same index goes into the file <c>by-sr.index</c> of the dated folder, as in the SR archive. A dated folder with
/// neither has no index.
/// </summary>
/// <param name="root">The folder holding the dated folders (created on first use).</param>
/// <param name="symlinks">Write the index as symlinks when the file system allows it (false: always the index file).</param>
public sealed class FolderMetadataStore(string root, bool symlinks = true) : IMetadataStore
{
    /// <summary>The sub-folder of a NAUbackup <c>backup_dir</c> used for VM metadata backups.</summary>
    public const string DefaultSubfolder = "vm-metadata";

    /// <summary>The folder holding the dated folders.</summary>
    public string Root { get; } = root;

    /// <inheritdoc/>
    public string Description => "folder " + Root;

    /// <inheritdoc/>
    public Task<IReadOnlyList<MetadataSetInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<MetadataSetInfo>();
        foreach (var (name, date, path) in DatedFolders())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var files = DataFiles(path).Select(f => new FileInfo(f)).ToList();
            var vms = files.Count(f => MetadataFileNames.IsVmFile(Relative(path, f.FullName)));
            result.Add(new MetadataSetInfo(name, date, vms, files.Sum(f => f.Length), ReadBySr(path)?.Keys.Order(StringComparer.Ordinal).ToList()));
        }

        return Task.FromResult<IReadOnlyList<MetadataSetInfo>>(result);
    }

    /// <inheritdoc/>
    public async Task<MetadataSet> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = DatedFolders().FirstOrDefault(d => d.Name == name).Path
            ?? throw new MetadataBackupException($"no metadata backup '{name}' in {Description}");
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in DataFiles(path))
        {
            files[Relative(path, file)] = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return new MetadataSet(name, files) { BySr = ReadBySr(path) };
    }

    /// <inheritdoc/>
    public async Task SaveAsync(MetadataSet set, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Directory.CreateDirectory(Root);
        var target = Path.Combine(Root, set.Name);
        if (Directory.Exists(target))
        {
            throw new MetadataBackupException($"metadata backup {set.Name} already exists in {Description}");
        }

        var partial = Path.Combine(Root, "." + set.Name + ".partial");
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        try
        {
            foreach (var (relative, content) in set.Files)
            {
                var file = Path.Combine(partial, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, content, cancellationToken).ConfigureAwait(false);
            }

            if (set.BySr is not null)
            {
                await WriteBySrAsync(partial, set.BySr, cancellationToken).ConfigureAwait(false);
            }

            Directory.Move(partial, target);
        }
        catch
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            throw;
        }

        foreach (var (_, _, path) in DatedFolders().Skip(keep))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>The files of a dated folder, the by-SR index's symlinks left out.</summary>
    private static IEnumerable<string> DataFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Relative(folder, f) is var relative
                && !relative.StartsWith(MetadataFileNames.BySrFolder + "/", StringComparison.Ordinal)
                && relative != MetadataFileNames.BySrIndex);

    /// <summary>
    /// The by-SR index of a dated folder: the names of its <c>by-sr/&lt;sr&gt;/&lt;vm&gt;.vmmeta</c> links, else its
    /// <c>by-sr.index</c> file; null with neither.
    /// </summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? ReadBySr(string folder)
    {
        var bySr = Path.Combine(folder, MetadataFileNames.BySrFolder);
        if (Directory.Exists(bySr))
        {
            return MetadataBySr.Parse(Directory.EnumerateFiles(bySr, "*", SearchOption.AllDirectories).Select(f => Relative(bySr, f)));
        }

        var index = Path.Combine(folder, MetadataFileNames.BySrIndex);
        return File.Exists(index) ? MetadataBySr.Parse(File.ReadAllBytes(index)) : null;
    }

    /// <summary>Writes the index as relative symlinks, or as <c>by-sr.index</c> where the file system has no symlinks.</summary>
    private async Task WriteBySrAsync(string folder, IReadOnlyDictionary<string, IReadOnlyList<string>> index, CancellationToken cancellationToken)
    {
        var links = Path.Combine(folder, MetadataFileNames.BySrFolder);
        if (symlinks)
        {
            try
            {
                Directory.CreateDirectory(links);
                foreach (var (sr, vms) in index)
                {
                    foreach (var vm in vms)
                    {
                        var link = Path.Combine(folder, MetadataBySr.LinkPath(sr, vm).Replace('/', Path.DirectorySeparatorChar));
                        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
                        File.CreateSymbolicLink(link, MetadataBySr.LinkTarget(vm));
                    }
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No symlinks here (e.g. a CIFS share): the index file below says the same.
                Directory.Delete(links, recursive: true);
            }
        }

        await File.WriteAllBytesAsync(Path.Combine(folder, MetadataFileNames.BySrIndex), MetadataBySr.Write(index), cancellationToken).ConfigureAwait(false);
    }

    private static string Relative(string folder, string file) => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The dated folders, newest first.</summary>
    private List<(string Name, DateTime Date, string Path)> DatedFolders()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var result = new List<(string, DateTime, string)>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (MetadataFileNames.TryParseDate(name, out var date))
            {
                result.Add((name, date, dir));
            }
        }

        return [.. result.OrderByDescending(d => d.Item1, StringComparer.Ordinal)];
    }
}
