using System.Text.RegularExpressions;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// Keeps the newest N pool database dumps of a folder. Only files named like a dump
/// (<c>pool_db_YYYYMMDD-HHMMSS.dump[.enc]</c>) are counted or deleted; their names sort by time.
/// </summary>
public static partial class PoolDbRotation
{
    /// <summary>True when <paramref name="fileName"/> is the name of a dump.</summary>
    public static bool IsDumpName(string fileName) => DumpName().IsMatch(fileName);

    /// <summary>Deletes all but the newest <paramref name="keep"/> dumps; returns the deleted paths, oldest first.</summary>
    public static IReadOnlyList<string> Rotate(string folder, int keep)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var dumps = Directory.EnumerateFiles(folder)
            .Where(path => IsDumpName(Path.GetFileName(path)))
            .OrderBy(path => Path.GetFileName(path)[..23], StringComparer.Ordinal)
            .ToList();
        var deleted = new List<string>();
        foreach (var path in dumps.Take(Math.Max(0, dumps.Count - keep)))
        {
            File.Delete(path);
            deleted.Add(path);
        }

        return deleted;
    }

    [GeneratedRegex(@"^pool_db_[0-9]{8}-[0-9]{6}\.dump(\.enc)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DumpName();
}
