using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Retention;

namespace VmBackup.Core.Tests.Verify;

/// <summary>The <c>verified</c> file lives inside a backup folder: retention and the folder model must not notice it.</summary>
public sealed class VerifiedRecordRetentionTests : IDisposable
{
    private readonly TestBackupDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AVerifiedBackupFolder_StillCountsAsExactlyOneSuccessfulBackup()
    {
        var old = await _dir.AddRawAsync("DEV-1", TestBackupDir.Time(1), TestBackupDir.MiB);
        var newer = await _dir.AddRawAsync("DEV-1", TestBackupDir.Time(2), TestBackupDir.MiB);
        await BackupVerifier.VerifyAsync(old.Path, CancellationToken.None);
        await BackupVerifier.VerifyAsync(newer.Path, CancellationToken.None);
        File.Exists(Path.Combine(old.Path, VerificationRecord.FileName)).ShouldBeTrue();

        var vmFolder = _dir.Root.VmFolder("DEV-1");
        var listing = vmFolder.List();

        listing.Backups.Select(b => b.Name).ShouldBe([old.Name, newer.Name]);
        listing.Backups.ShouldAllBe(b => b.IsSuccessful);
        listing.Foreign.ShouldBeEmpty();
        NauRetentionPlanner.CheckHistory(listing).AllSuccessful.ShouldBeTrue();
        NauRetentionPlanner.PlanAfterSuccess(vmFolder.Path, listing, maxBackups: 2, newer.Name).Steps.ShouldBeEmpty();
        NauRetentionPlanner.PlanAfterSuccess(vmFolder.Path, listing, maxBackups: 1, newer.Name).Steps
            .Select(s => s.DeleteFolder).ShouldBe([old.Name]);

        var point = old.Describe();
        point.DataFiles.ShouldHaveSingleItem().FileName.ShouldBe("DEV-1.raw");
        point.PartialFiles.ShouldBeEmpty();
        point.Markers.ShouldBe([NauSuccessMarker.Success]);
    }

    [Fact]
    public async Task AFailedBackupFolder_StaysFailed_WhenVerified()
    {
        var failed = await _dir.AddXvaAsync("DEV-2", TestBackupDir.Time(3), [TestBackupDir.MiB], marker: false);

        var result = await BackupVerifier.VerifyAsync(failed.Path, CancellationToken.None);

        result.IsOk.ShouldBeFalse();
        failed.IsSuccessful.ShouldBeFalse("the verified file is not a success marker");
        _dir.Root.VmFolder("DEV-2").List().Backups.ShouldHaveSingleItem().IsSuccessful.ShouldBeFalse();
    }
}
