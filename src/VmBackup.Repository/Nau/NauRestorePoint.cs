namespace VmBackup.Repository.Nau;

/// <summary>
/// A read model of one <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> folder: its time, its markers and its data file(s).
/// Built by <see cref="NauBackupFolder.Describe"/>; a snapshot of the disk at that moment.
/// </summary>
/// <param name="Name">The folder name.</param>
/// <param name="Path">The full path of the folder.</param>
/// <param name="LocalTime">The local wall-clock time encoded in the name.</param>
/// <param name="Markers">The success markers present, in <see cref="NauMarkers.All"/> order.</param>
/// <param name="DataFiles">The data files, ordinally sorted by name (normally one).</param>
/// <param name="PartialFiles">Names of temporary files left by an interrupted write (never data files).</param>
public sealed record NauRestorePoint(
    string Name,
    string Path,
    DateTime LocalTime,
    IReadOnlyList<NauSuccessMarker> Markers,
    IReadOnlyList<NauDataFileInfo> DataFiles,
    IReadOnlyList<string> PartialFiles)
{
    /// <summary>True when any of the four success markers is present (v3.25's definition).</summary>
    public bool IsSuccessful => Markers.Count > 0;

    /// <summary>The data file when there is exactly one, else null.</summary>
    public NauDataFileInfo? DataFile => DataFiles.Count == 1 ? DataFiles[0] : null;
}
