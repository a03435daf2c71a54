using System.Text.Json;
using Spectre.Console;
using VmBackup.Cli.Commands;
using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;

namespace VmBackup.Cli.Tests;

public sealed class ListCommandTests : IDisposable
{
    private const long MiB = VerifyTestBackups.MiB;
    private readonly VerifyTestBackups _backups = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly StringWriter _consoleText = new();
    private readonly IAnsiConsole _console;

    public ListCommandTests()
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(_consoleText),
        });
    }

    public void Dispose() => _backups.Dispose();

    [Fact]
    public async Task Json_GivesEveryRestorePoint_WithItsVerificationState()
    {
        var (ok, failed, stale) = await ThreeVerifiedStatesAsync();
        var never = await _backups.AddXvaAsync("WEB", 4, MiB, marker: false);

        var exit = await RunAsync(null, ListCommand.ListFormat.Json);

        exit.ShouldBe(0);
        using var doc = JsonDocument.Parse(_output.ToString());
        var items = doc.RootElement.EnumerateArray().ToList();
        items.Select(i => (i.GetProperty("vm").GetString(), i.GetProperty("folder").GetString(), i.GetProperty("verified").GetString())).ShouldBe([
            ("DB", ok.Name, "ok"),
            ("DB", failed.Name, "failed"),
            ("WEB", stale.Name, "stale"),
            ("WEB", never.Name, "never"),
        ]);
        var first = items[0];
        first.GetProperty("date").GetString().ShouldBe("2025-03-01T02:10:44");
        first.GetProperty("kind").GetString().ShouldBe("raw");
        first.GetProperty("bytes").GetInt64().ShouldBe(MiB);
        first.GetProperty("success").GetBoolean().ShouldBeTrue();
        first.GetProperty("sha256").GetString().ShouldBe(VerificationRecord.TryRead(ok.Path)!.Sha256);
        items[1].GetProperty("sha256").ValueKind.ShouldBe(JsonValueKind.Null);
        items[3].GetProperty("success").GetBoolean().ShouldBeFalse();
        items[3].GetProperty("kind").GetString().ShouldBe("xva");
        items[3].GetProperty("verifiedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Table_ShowsVmDateKindSizeSuccessAndVerified()
    {
        await ThreeVerifiedStatesAsync();

        var exit = await RunAsync(null, ListCommand.ListFormat.Table);

        exit.ShouldBe(0);
        var text = _consoleText.ToString();
        foreach (var header in new[] { "VM", "date", "kind", "size", "success", "verified" })
        {
            text.ShouldContain(header);
        }

        var rows = text.Split('\n').Where(l => l.Contains("2025-03-0", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(3);
        rows[0].ShouldContain("DB");
        rows[0].ShouldContain("2025-03-01 02:10:44");
        rows[0].ShouldContain("raw");
        rows[0].ShouldContain("1.0 MiB");
        rows[0].ShouldContain("yes");
        rows[0].ShouldContain("ok");
        rows[1].ShouldContain("failed");
        rows[2].ShouldContain("stale");
    }

    [Fact]
    public async Task Lines_WhenRedirected_AreTabSeparated_ForOneVm()
    {
        await ThreeVerifiedStatesAsync();

        var exit = await RunAsync("DB", ListCommand.ListFormat.Lines);

        exit.ShouldBe(0);
        _output.ToString().ShouldBe(
            $"DB\tbackup-2025-03-01-(02:10:44)\t2025-03-01T02:10:44\traw\t{MiB}\tsuccess\tok\n"
            + $"DB\tbackup-2025-03-02-(02:10:44)\t2025-03-02T02:10:44\traw\t{MiB}\tno-success\tfailed\n");
    }

    [Fact]
    public async Task UnknownVm_AndMissingBackupDir_AreUsageErrors()
    {
        (await RunAsync("NOPE", ListCommand.ListFormat.Lines)).ShouldBe(1);
        _error.ToString().ShouldStartWith("vmbackup list: unknown VM: NOPE (no folder ");

        var missing = await ListCommand.RunAsync(Path.Combine(_backups.Path, "absent"), null, ListCommand.ListFormat.Lines, _console, _output, _error, CancellationToken.None);
        missing.ShouldBe(1);
        _error.ToString().ShouldContain("absent does not exist");
        _output.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void Sizes_AreBinaryUnits()
    {
        ListCommand.FormatSize(512).ShouldBe("512 B");
        ListCommand.FormatSize(1536).ShouldBe("1.5 KiB");
        ListCommand.FormatSize(3L << 30).ShouldBe("3.0 GiB");
    }

    /// <summary>DB day 1 verified OK, DB day 2 verified failed (no marker), WEB day 3 verified then its data file changed.</summary>
    private async Task<(NauBackupFolder Ok, NauBackupFolder Failed, NauBackupFolder Stale)> ThreeVerifiedStatesAsync()
    {
        var ok = await _backups.AddRawAsync("DB", 1, MiB);
        var failed = await _backups.AddRawAsync("DB", 2, MiB);
        File.Delete(Path.Combine(failed.Path, "success"));
        var stale = await _backups.AddRawAsync("WEB", 3, MiB);
        foreach (var folder in new[] { ok, failed, stale })
        {
            await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);
        }

        await using (var f = new FileStream(stale.DataFilePath(NauDataFileKind.Raw), FileMode.Open))
        {
            f.SetLength(MiB + 512);
        }

        return (ok, failed, stale);
    }

    private Task<int> RunAsync(string? vm, ListCommand.ListFormat format) =>
        ListCommand.RunAsync(_backups.Path, vm, format, _console, _output, _error, CancellationToken.None);
}
