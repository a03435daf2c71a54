namespace VmBackup.Repository.Nau;

/// <summary>Extensions of <see cref="NauDataFileKind"/>s.</summary>
public static class NauDataFileKinds
{
    private static readonly NauDataFileKind[] LongestSuffixFirst =
        [NauDataFileKind.XvaGzip, NauDataFileKind.XvaZstd, NauDataFileKind.Xva, NauDataFileKind.Raw, NauDataFileKind.Vhd];

    /// <summary>The extension with its dot, e.g. <c>.xva.gz</c>.</summary>
    public static string Extension(NauDataFileKind kind) => kind switch
    {
        NauDataFileKind.Xva => ".xva",
        NauDataFileKind.XvaGzip => ".xva.gz",
        NauDataFileKind.XvaZstd => ".xva.zst",
        NauDataFileKind.Raw => ".raw",
        NauDataFileKind.Vhd => ".vhd",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown data file kind"),
    };

    /// <summary>True for the kinds whose content is already compressed.</summary>
    public static bool IsCompressed(NauDataFileKind kind) => kind is NauDataFileKind.XvaGzip or NauDataFileKind.XvaZstd;

    /// <summary>
    /// The kind of a file name by its extension (case-sensitive, as v3.25 writes them). Temporary files
    /// (<see cref="NauBackupFolder.PartialSuffix"/>) are never data files.
    /// </summary>
    public static bool TryFromFileName(string fileName, out NauDataFileKind kind)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        foreach (var k in LongestSuffixFirst)
        {
            var ext = Extension(k);
            if (fileName.Length > ext.Length && fileName.EndsWith(ext, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
