using System.Diagnostics;

namespace VmBackup.Formats.Tests.Support;

/// <summary>Runs an oracle program. A missing program fails the test with the package to install; it never skips.</summary>
internal static class ExternalTool
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["qemu-img"] = "qemu-utils",
        ["qemu-io"] = "qemu-utils",
        ["xxhsum"] = "xxhash",
        ["zstd"] = "zstd",
        ["tar"] = "tar",
    };

    public static string Run(string tool, params string[] args) => RunBytes(tool, null, args).StdoutText;

    public static (byte[] Stdout, string StdoutText) RunBytes(string tool, byte[]? stdin, params string[] args)
    {
        var path = Find(tool);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdoutTask = Task.Run(() =>
        {
            using var ms = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(ms);
            return ms.ToArray();
        });
        var stderrTask = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr}");
        }

        return (stdout, System.Text.Encoding.UTF8.GetString(stdout));
    }

    private static string Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var package = Packages.GetValueOrDefault(tool, tool);
        throw new InvalidOperationException($"oracle '{tool}' is not installed: run 'apt-get install -y {package}' (the test needs it and does not skip)");
    }
}
