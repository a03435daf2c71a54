namespace VmBackup.Repository.Nau;

/// <summary>A data file found in a backup folder.</summary>
/// <param name="FileName">The file name, e.g. <c>DEV-1.xva</c>.</param>
/// <param name="Kind">The kind, from the extension.</param>
/// <param name="Length">The size in bytes.</param>
public sealed record NauDataFileInfo(string FileName, NauDataFileKind Kind, long Length);
