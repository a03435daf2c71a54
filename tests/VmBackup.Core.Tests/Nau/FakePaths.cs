using VmBackup.Core.Nau;

namespace VmBackup.Core.Tests.Nau;

/// <summary>A fake file system: a set of existing paths and the content of the files among them.</summary>
internal sealed class FakePaths : IPathProbe
{
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Directories { get; } = new(StringComparer.Ordinal) { "/snapshots/BACKUPS" };

    public bool Exists(string path) => Files.ContainsKey(path) || Directories.Contains(path);
}
