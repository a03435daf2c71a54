using System.Text.Json;
using VmBackup.Cli.Commands;
using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;

namespace VmBackup.Cli.Tests;

public sealed class VerifyCommandTests : IDisposable
{
    private const long MiB = VerifyTestBackups.MiB;
    private readonly VerifyTestBackups _backups = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _backups.Dispose();

    [Fact]
    public async Task BackupFolder_ThatIsFine_PrintsOneOkLine_AndExits0()
    {
        var folder = await _backups.AddXvaAsync("PROD-web", 1, 2 * MiB);

        var exit = await RunAsync(folder.Path);

        exit.ShouldBe(0);
        var sha = VerificationRecord.TryRead(folder.Path)!.Sha256!;
        var size = ListCommand.FormatSize(new FileInfo(folder.DataFilePath(NauDataFileKind.Xva)).Length);
        _output.ToString().ShouldBe($"OK   PROD-web backup-2025-03-01-(02:10:44) xva {size} sha256:{sha[..16]}\n");
        _error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Vm_VerifiesEachOfItsRestorePoints_AndAFlippedByteExits2WithFileAndOffset()
    {
        await _backups.AddXvaAsync("PROD-db", 1, 2 * MiB);
        var bad = await _backups.AddXvaAsync("PROD-db", 2, 2 * MiB);
        var path = bad.DataFilePath(NauDataFileKind.Xva);
        var bytes = await File.ReadAllBytesAsync(path);
        const int flipped = 2560 + 4000; // inside chunk Ref:2/00000000, whose data starts at 2560 (ova.xml: header + 2 blocks; chunk header)
        bytes[flipped] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        var exit = await RunAsync("PROD-db");

        exit.ShouldBe(2);
        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3);
        lines[0].ShouldStartWith("OK   PROD-db backup-2025-03-01-(02:10:44) xva ");
        lines[1].ShouldStartWith("FAIL PROD-db backup-2025-03-02-(02:10:44) PROD-db.xva at offset 2560: checksum mismatch for chunk 'Ref:2/00000000'");
        lines[2].ShouldStartWith("2 restore points: 1 OK, 1 failed; read ");
    }

    [Fact]
    public async Task All_OverSeveralVms_WithOneBad_Exits2_AndReportsEach()
    {
        await _backups.AddXvaAsync("A", 1, MiB);
        await _backups.AddRawAsync("B", 1, MiB);
        var bad = await _backups.AddRawAsync("C", 1, MiB);
        File.Delete(Path.Combine(bad.Path, "success"));

        var exit = await RunAsync(null, all: true);

        exit.ShouldBe(2);
        var text = _output.ToString();
        text.ShouldContain("OK   A backup-2025-03-01-(02:10:44) xva ");
        text.ShouldContain("OK   B backup-2025-03-01-(02:10:44) raw 1.0 MiB sha256:");
        text.ShouldContain("FAIL C backup-2025-03-01-(02:10:44) success: missing success marker");
        text.ShouldContain("3 restore points: 2 OK, 1 failed");
    }

    [Fact]
    public async Task All_WhenEverythingIsFine_Exits0()
    {
        await _backups.AddXvaAsync("A", 1, MiB);
        await _backups.AddRawAsync("A", 2, MiB);

        (await RunAsync(null, all: true)).ShouldBe(0);
    }

    [Fact]
    public async Task DeletedVdiCfg_IsReportedByName()
    {
        var folder = await _backups.AddRawAsync("DEV-1", 1, MiB);
        File.Delete(Path.Combine(folder.Path, "DISK-xvda", "vdi.cfg"));

        var exit = await RunAsync(folder.Path);

        exit.ShouldBe(2);
        _output.ToString().ShouldContain("FAIL DEV-1 backup-2025-03-01-(02:10:44) DISK-xvda/vdi.cfg: missing");
    }

    [Theory]
    [InlineData("NOPE", "vmbackup verify: unknown VM: NOPE (no folder ")]
    [InlineData("/no/such/place/backup-2025-03-01-(02:10:44)", "vmbackup verify: not a backup folder: /no/such/place/backup-2025-03-01-(02:10:44) (no such directory)")]
    public async Task UnknownTargets_AreUsageErrors_NamingThem(string target, string message)
    {
        var exit = await RunAsync(target);

        exit.ShouldBe(1);
        _error.ToString().ShouldStartWith(message);
        _error.ToString().Count(c => c == '\n').ShouldBe(1);
        _output.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task ADirectoryWithoutBackupFolders_IsNotABackupFolder()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_backups.Path, "elsewhere", "stuff")).FullName;

        var exit = await RunAsync(dir);

        exit.ShouldBe(1);
        _error.ToString().ShouldBe($"vmbackup verify: not a backup folder: {dir} (no backup-YYYY-MM-DD-(HH:MM:SS) folders in it)\n");
    }

    [Fact]
    public async Task TargetAndAll_OrNeither_AreUsageErrors()
    {
        (await RunAsync("X", all: true)).ShouldBe(1);
        (await RunAsync(null)).ShouldBe(1);
        _error.ToString().ShouldContain("give a backup folder, a VM, or --all");
    }

    [Fact]
    public async Task Json_ListsEachRestorePointWithItsFailures()
    {
        await _backups.AddRawAsync("DEV-2", 1, MiB);
        var bad = await _backups.AddRawAsync("DEV-2", 2, MiB);
        await using (var f = new FileStream(bad.DataFilePath(NauDataFileKind.Raw), FileMode.Open))
        {
            f.SetLength(MiB - 512);
        }

        var exit = await RunAsync("DEV-2", json: true);

        exit.ShouldBe(2);
        using var doc = JsonDocument.Parse(_output.ToString());
        var items = doc.RootElement.EnumerateArray().ToList();
        items.Count.ShouldBe(2);
        items[0].GetProperty("result").GetString().ShouldBe("ok");
        items[0].GetProperty("kind").GetString().ShouldBe("raw");
        items[0].GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        items[1].GetProperty("result").GetString().ShouldBe("failed");
        var failure = items[1].GetProperty("failures").EnumerateArray().Single();
        failure.GetProperty("file").GetString().ShouldBe("DEV-2.raw");
        failure.GetProperty("offset").GetInt64().ShouldBe(MiB - 512);
        failure.GetProperty("message").GetString()!.ShouldContain("truncated: 512 bytes missing");
    }

    [Fact]
    public void BackupDir_ComesFromTheOption_ThenTheEnvironment_ThenNauBackupsDefault()
    {
        ListCommand.ResolveBackupDir("/x", _ => "/env").ShouldBe("/x");
        ListCommand.ResolveBackupDir(null, v => v == "VMBACKUP_BACKUP_DIR" ? "/env" : null).ShouldBe("/env");
        ListCommand.ResolveBackupDir(null, _ => null).ShouldBe("/snapshots/BACKUPS");
    }

    private Task<int> RunAsync(string? target, bool all = false, bool json = false) =>
        VerifyCommand.RunAsync(new VerifyCommand.VerifyRequest(target, all, _backups.Path, json), _output, _error, null, CancellationToken.None);
}
