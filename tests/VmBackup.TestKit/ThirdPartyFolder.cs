namespace VmBackup.TestKit;

/// <summary>
/// <c>tests/third-party</c> of this checkout: the independent clients and servers (npm packages installed there by
/// <c>scripts/install-test-deps.sh</c>, node and Python scripts) that tests run against our code.
/// </summary>
public static class ThirdPartyFolder
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The folder's full path, found by walking up from the test assembly.</summary>
    public static string Path => Located.Value;

    /// <summary>The folder of an installed npm package, or an exception saying how to install it.</summary>
    public static string NpmPackage(string name)
    {
        var folder = System.IO.Path.Combine(Path, "node_modules", name);
        return Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"npm package {name} is not installed in {Path}: run scripts/install-test-deps.sh");
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "third-party");
            if (File.Exists(System.IO.Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/third-party not found above " + AppContext.BaseDirectory);
    }
}
