namespace VmBackup.Repository.Nau;

/// <summary>File names of the <see cref="NauSuccessMarker"/>s.</summary>
public static class NauMarkers
{
    /// <summary>All markers in v3.25's check order.</summary>
    public static IReadOnlyList<NauSuccessMarker> All { get; } =
    [
        NauSuccessMarker.Success,
        NauSuccessMarker.SuccessRestore,
        NauSuccessMarker.SuccessCompress,
        NauSuccessMarker.SuccessCompressing,
    ];

    /// <summary>The marker's file name, e.g. <c>success_compress</c>.</summary>
    public static string FileName(NauSuccessMarker marker) => marker switch
    {
        NauSuccessMarker.Success => "success",
        NauSuccessMarker.SuccessRestore => "success_restore",
        NauSuccessMarker.SuccessCompress => "success_compress",
        NauSuccessMarker.SuccessCompressing => "success_compressing",
        _ => throw new ArgumentOutOfRangeException(nameof(marker), marker, "unknown marker"),
    };

    /// <summary>The marker named <paramref name="fileName"/> (exact, case-sensitive), if it is one.</summary>
    public static bool TryParse(string fileName, out NauSuccessMarker marker)
    {
        foreach (var m in All)
        {
            if (string.Equals(FileName(m), fileName, StringComparison.Ordinal))
            {
                marker = m;
                return true;
            }
        }

        marker = default;
        return false;
    }
}
