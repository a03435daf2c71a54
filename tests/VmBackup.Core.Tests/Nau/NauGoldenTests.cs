using System.Runtime.CompilerServices;

namespace VmBackup.Core.Tests.Nau;

/// <summary>
/// Golden cases under Golden/Nau/&lt;case&gt;/: <c>args.txt</c> (one argument per line), optional <c>pool.txt</c>
/// (else Golden/Nau/default-pool.txt), optional <c>dirs.txt</c> (existing directories besides /snapshots/BACKUPS),
/// any other file is a file in the fake working directory, and <c>expected.txt</c> is the golden output.
/// Set UPDATE_GOLDEN=1 to rewrite the goldens instead of comparing.
/// </summary>
public sealed class NauGoldenTests
{
    private static readonly string[] Reserved = ["args.txt", "pool.txt", "dirs.txt", "expected.txt", "notes.txt"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(GoldenRoot()).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_case_matches_expected(string caseName)
    {
        // Given
        var dir = Path.Combine(GoldenRoot(), caseName);
        var args = ReadLines(Path.Combine(dir, "args.txt"));
        var poolFile = Path.Combine(dir, "pool.txt");
        var pool = PoolBuilder.Parse(File.ReadAllText(File.Exists(poolFile) ? poolFile : Path.Combine(GoldenRoot(), "default-pool.txt")));
        var paths = new FakePaths();
        var dirsFile = Path.Combine(dir, "dirs.txt");
        if (File.Exists(dirsFile))
        {
            foreach (var d in ReadLines(dirsFile))
            {
                paths.Directories.Add(d);
            }
        }

        foreach (var file in Directory.GetFiles(dir))
        {
            var name = Path.GetFileName(file);
            if (!Reserved.Contains(name))
            {
                paths.Files[name] = File.ReadAllText(file);
            }
        }

        // When
        var actual = NauGoldenRunner.Run(args, paths, pool);

        // Then
        var expectedFile = Path.Combine(dir, "expected.txt");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedFile, actual);
            return;
        }

        File.Exists(expectedFile).ShouldBeTrue($"missing {caseName}/expected.txt (run with UPDATE_GOLDEN=1)");
        actual.ShouldBe(File.ReadAllText(expectedFile).Replace("\r\n", "\n", StringComparison.Ordinal), $"golden case {caseName}");
    }

    [Fact]
    public void Golden_root_has_cases()
    {
        Directory.GetDirectories(GoldenRoot()).Length.ShouldBeGreaterThan(40);
    }

    private static List<string> ReadLines(string file)
    {
        var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        return text.Length == 0 ? [] : [.. text.Split('\n')];
    }

    private static string GoldenRoot([CallerFilePath] string thisFile = "")
    {
        var source = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)) ?? string.Empty, "Golden", "Nau");
        return Directory.Exists(source) ? source : Path.Combine(AppContext.BaseDirectory, "Golden", "Nau");
    }
}
