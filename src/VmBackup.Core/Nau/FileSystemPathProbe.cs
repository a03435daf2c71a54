namespace VmBackup.Core.Nau;

/// <summary>The real file system: a file or a directory exists at the path.</summary>
public sealed class FileSystemPathProbe : IPathProbe
{
    /// <summary>The shared instance.</summary>
    public static FileSystemPathProbe Instance { get; } = new();

    /// <inheritdoc />
    public bool Exists(string path) =>
        !string.IsNullOrEmpty(path) && (File.Exists(path) || Directory.Exists(path));
}
