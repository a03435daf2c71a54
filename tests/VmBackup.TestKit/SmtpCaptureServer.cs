using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace VmBackup.TestKit;

/// <summary>
/// A real SMTP server for the tests: <c>tests/third-party/smtp-capture.mjs</c> (npm smtp-server, installed by
/// <c>scripts/install-test-deps.sh</c>) in a node process, its JSON event lines collected here.
/// </summary>
public sealed class SmtpCaptureServer : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _events = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _stderr = new();

    private SmtpCaptureServer(Process process) => _process = process;

    public int Port { get; private set; }

    public IReadOnlyList<JsonElement> Events => [.. _events];

    public IReadOnlyList<JsonElement> Messages => Events.Where(e => e.GetProperty("event").GetString() == "message").ToList();

    public IReadOnlyList<JsonElement> AuthAttempts => Events.Where(e => e.GetProperty("event").GetString() == "auth").ToList();

    public int Connections => Events.Count(e => e.GetProperty("event").GetString() == "connect");

    public static async Task<SmtpCaptureServer> StartAsync(params string[] args)
    {
        var folder = ThirdPartyFolder.Path;
        ThirdPartyFolder.NpmPackage("smtp-server");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("smtp-capture.mjs");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed (apt-get install nodejs): " + e.Message, e);
        }

        var server = new SmtpCaptureServer(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server._stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(server._port.Task, exited, Task.Delay(Wait));
        if (first != server._port.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("smtp-capture.mjs did not start: " + string.Join('\n', server._stderr));
        }

        server.Port = await server._port.Task;
        return server;
    }

    /// <summary>Waits until <paramref name="count"/> events of <paramref name="kind"/> arrived (the server logs asynchronously to the client).</summary>
    public async Task WaitForAsync(string kind, int count)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (Events.Count(e => e.GetProperty("event").GetString() == kind) < count)
        {
            try
            {
                await _signal.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"smtp-capture: fewer than {count} '{kind}' events: {string.Join('\n', Events)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            _process.Dispose();
            _signal.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        var element = JsonDocument.Parse(line).RootElement.Clone();
        if (element.GetProperty("event").GetString() == "listening")
        {
            _port.TrySetResult(element.GetProperty("port").GetInt32());
            return;
        }

        _events.Enqueue(element);
        _signal.Release();
    }
}
