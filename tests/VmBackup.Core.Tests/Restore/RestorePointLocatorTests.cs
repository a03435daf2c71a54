using VmBackup.Core.Restore;

namespace VmBackup.Core.Tests.Restore;

public sealed class RestorePointLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vmbackup-locate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("2025-03-01", "2025-03-01T23:59:59.9999999")]
    [InlineData("2025-03-01 02:10", "2025-03-01T02:10:00")]
    [InlineData("2025-03-01T02:10:44", "2025-03-01T02:10:44")]
    [InlineData("2025-03-01-(02:10:44)", "2025-03-01T02:10:44")]
    public void TryParseAt_AcceptsDatesAndTimes(string text, string expected)
    {
        RestorePointLocator.TryParseAt(text, out var at).ShouldBeTrue();
        at.ShouldBe(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TryParseAt_RefusesOtherText() => RestorePointLocator.TryParseAt("yesterday", out _).ShouldBeFalse();

    [Fact]
    public void Locate_ChoosesTheNewestSuccessfulBackupAtOrBeforeTheTime()
    {
        Backup("VM 1", "backup-2025-03-01-(01:00:00)", success: true);
        Backup("VM 1", "backup-2025-03-02-(01:00:00)", success: true);
        Backup("VM 1", "backup-2025-03-03-(01:00:00)", success: false);

        Path.GetFileName(RestorePointLocator.Locate("VM 1", _root, null)).ShouldBe("backup-2025-03-02-(01:00:00)");
        Path.GetFileName(RestorePointLocator.Locate("VM 1", _root, new DateTime(2025, 3, 1, 23, 0, 0))).ShouldBe("backup-2025-03-01-(01:00:00)");
        Should.Throw<RestoreRefusedException>(() => RestorePointLocator.Locate("VM 1", _root, new DateTime(2025, 2, 1)))
            .Message.ShouldContain("no successful backup at or before 2025-02-01 00:00:00");
        Should.Throw<RestoreRefusedException>(() => RestorePointLocator.Locate("other", _root, null)).Message.ShouldContain("neither a backup folder nor a VM");
    }

    [Fact]
    public void Locate_UsesABackupFolderAsGiven_EvenWithoutMarker()
    {
        var folder = Backup("VM 1", "backup-2025-03-03-(01:00:00)", success: false);

        RestorePointLocator.Locate(folder + "/", _root, null).ShouldBe(folder);
    }

    private string Backup(string vm, string name, bool success)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, vm, name)).FullName;
        if (success)
        {
            File.WriteAllBytes(Path.Combine(dir, "success"), []);
        }

        return dir;
    }
}
