namespace VmBackup.Core.Metadata;

/// <summary>
/// One dated metadata backup in memory: its folder name and files (relative path with <c>/</c> → content). The files are
/// small (an <c>ova.xml</c> per VM and the pool database), so a set is held whole.
/// </summary>
/// <param name="Name">The dated folder name (<c>YYYY-MM-DD-HH-MM-SS</c>).</param>
/// <param name="Files">Relative path → content (the by-SR index is not among them: see <see cref="BySr"/>).</param>
public sealed record MetadataSet(string Name, IReadOnlyDictionary<string, byte[]> Files)
{
    /// <summary>The by-SR index (SR uuid → VM uuids, see <see cref="MetadataBySr"/>); null for a backup written without one.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? BySr { get; init; }

    /// <summary>The listing line of this set.</summary>
    public MetadataSetInfo Info()
    {
        MetadataFileNames.TryParseDate(Name, out var date);
        return new MetadataSetInfo(Name, date, Files.Keys.Count(MetadataFileNames.IsVmFile), Files.Values.Sum(f => (long)f.Length), BySr?.Keys.Order(StringComparer.Ordinal).ToList());
    }
}
