using System.Diagnostics;
using System.Text.Json;

namespace XapiSim.Tests.ThirdParty;

/// <summary>
/// Runs one of the independent XenAPI client scripts of <c>tests/third-party</c> (installed by
/// <c>scripts/install-test-deps.sh</c>) and returns the JSON object it prints.
/// </summary>
internal static class ThirdPartyClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Folder => VmBackup.TestKit.ThirdPartyFolder.Path;

    public static Task<JsonElement> RunNodeAsync(params string[] args)
    {
        VmBackup.TestKit.ThirdPartyFolder.NpmPackage("xen-api");
        return RunAsync("node", ["xen-api-client.mjs", .. args]);
    }

    public static Task<JsonElement> RunPythonAsync(params string[] args) => RunAsync("python3", ["xmlrpc_client.py", .. args]);

    /// <summary>Runs another Python script of the folder (standard library only).</summary>
    public static Task<JsonElement> RunPythonScriptAsync(string script, params string[] args) => RunAsync("python3", [script, .. args]);

    private static async Task<JsonElement> RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {Timeout}");
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {errors}{output}");
        }

        var lastLine = output.TrimEnd().Split('\n')[^1];
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }
}
