namespace VmBackup.Core.Metadata;

/// <summary>
/// One dated metadata backup in memory: its folder name and files (relative path with <c>/</c> → content). The files are
/// small (an <c>ova.xml</c> per VM and the pool database), so a set is held whole.
/// </summary>
/// <param name="Name">The dated folder name (<c>YYYY-MM-DD-HH-MM-SS</c>).</param>
/// <param name="Files">Relative path → content.</param>
public sealed record MetadataSet(string Name, IReadOnlyDictionary<string, byte[]> Files)
{
    /// <summary>The listing line of this set.</summary>
    public MetadataSetInfo Info()
    {
        MetadataFileNames.TryParseDate(Name, out var date);
        return new MetadataSetInfo(Name, date, Files.Keys.Count(MetadataFileNames.IsVmFile), Files.Values.Sum(f => (long)f.Length));
    }
}
