using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Retention;

namespace VmBackup.Repository.Tests.Nau;

/// <summary>Section 7 scenarios on real folders: plan, carry out, compare log lines and what is left.</summary>
public sealed class NauRetentionTests : IDisposable
{
    private const string B1 = "backup-2019-06-01-(01:00:00)";
    private const string B2 = "backup-2019-06-02-(01:00:00)";
    private const string B3 = "backup-2019-06-03-(01:00:00)";
    private const string B4 = "backup-2019-06-04-(01:00:00)";
    private const string New = "backup-2019-06-05-(01:00:00)";
    private static readonly DateTimeOffset NewTime = new(2019, 6, 5, 1, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();
    private readonly NauVmFolder _vm;
    private readonly List<string> _log = [];

    public NauRetentionTests()
    {
        _vm = new NauBackupRoot(_dir.Path).VmFolder("DEV-1");
        _vm.EnsureExists();
    }

    private string D => _vm.Path;

    public void Dispose() => _dir.Dispose();

    private void Backup(string name, bool success = true)
    {
        var path = Directory.CreateDirectory(Path.Combine(_vm.Path, name)).FullName;
        File.WriteAllText(Path.Combine(path, "DEV-1.xva"), "data");
        if (success)
        {
            File.WriteAllText(Path.Combine(path, "success"), "");
        }
    }

    private string[] Left() => [.. Directory.EnumerateFileSystemEntries(_vm.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private Task RunAsync(NauRetentionPlan plan) => _vm.ExecuteAsync(plan, _log.Add, CancellationToken.None);

    private async Task<NauBackupFolder> StartAsync()
    {
        await RunAsync(NauRetentionPlanner.PlanFailedPreviousCleanup(D, _vm.List()));
        return _vm.CreateBackupFolder(NewTime);
    }

    private async Task FinishAsync(NauBackupFolder folder, int max)
    {
        await folder.WriteSuccessMarkerAsync(NauSuccessMarker.Success, CancellationToken.None);
        await RunAsync(NauRetentionPlanner.PlanAfterSuccess(D, _vm.List(), max, folder.Name));
        _log.AddRange(NauRetentionPlanner.CheckHistory(_vm.List()).Messages);
    }

    [Fact]
    public async Task PreClean_Max3With3Old_DeletesOldestBeforeExport()
    {
        Backup(B1);
        Backup(B2);
        Backup(B3);

        var folder = await StartAsync();
        await RunAsync(NauRetentionPlanner.PlanPreClean(D, _vm.List(), 3, folder.Name));

        _log.ShouldBe([
            $"Check for last **unsuccessful** backup: {D}",
            $"success identifying directory : {D} ",
            "pre_VM_max_backups: 2 ",
            $"Deleting oldest backup {D}/{B1} ",
        ]);
        Left().ShouldBe([B2, B3, New]);

        _log.Clear();
        await FinishAsync(folder, 3);
        _log.ShouldBeEmpty();
        Left().ShouldBe([B2, B3, New]);
    }

    [Fact]
    public async Task PreClean_Max2_ExportFails_OneOldAndTheFailedNewRemain()
    {
        Backup(B1);
        Backup(B2);

        var folder = await StartAsync();
        await RunAsync(NauRetentionPlanner.PlanPreClean(D, _vm.List(), 2, folder.Name));

        _log.ShouldBe([
            $"Check for last **unsuccessful** backup: {D}",
            $"success identifying directory : {D} ",
            "pre_VM_max_backups: 1 ",
            $"Deleting oldest backup {D}/{B1} ",
        ]);
        Left().ShouldBe([B2, New]);
        _vm.List().NewestSuccessful!.Name.ShouldBe(B2);
    }

    [Fact]
    public async Task PreClean_Max1_NoPreCleanup()
    {
        Backup(B1);
        var folder = await StartAsync();
        _log.Clear();

        await RunAsync(NauRetentionPlanner.PlanPreClean(D, _vm.List(), 1, folder.Name));

        _log.ShouldBe([$"success identifying directory : {D} ", "pre_VM_max_backups: 0 ", $"No pre_cleanup needed for {D} "]);
        Left().ShouldBe([B1, New]);
    }

    [Fact]
    public async Task AfterSuccess_KeepsNewestMax_DeletingOldestFirst()
    {
        Backup(B1);
        Backup(B2);
        Backup(B3);
        Backup(B4);
        var folder = await StartAsync();
        _log.Clear();

        await FinishAsync(folder, 3);

        _log.ShouldBe([$"Deleting oldest backup {D}/{B1} ", $"Deleting oldest backup {D}/{B2} "]);
        Left().ShouldBe([B3, B4, New]);
    }

    [Fact]
    public async Task AfterSuccess_Max1_KeepsOnlyTheNewBackup()
    {
        Backup(B1);
        Backup(B2);
        var folder = await StartAsync();
        _log.Clear();

        await FinishAsync(folder, 1);

        _log.ShouldBe([$"Deleting oldest backup {D}/{B1} ", $"Deleting oldest backup {D}/{B2} "]);
        Left().ShouldBe([New]);
    }

    [Fact]
    public async Task FailedPrevious_LoneFailedDirIsKept()
    {
        Backup(B1, success: false);

        await RunAsync(NauRetentionPlanner.PlanFailedPreviousCleanup(D, _vm.List()));

        _log.ShouldBe([$"Check for last **unsuccessful** backup: {D}"]);
        Left().ShouldBe([B1]);
    }

    [Fact]
    public async Task FailedPrevious_NewestFailedIsDeleted_WhenThereAreTwoOrMore()
    {
        Backup(B1);
        Backup(B2, success: false);

        await RunAsync(NauRetentionPlanner.PlanFailedPreviousCleanup(D, _vm.List()));

        _log.ShouldBe([$"Check for last **unsuccessful** backup: {D}", $"Delete last **unsuccessful** backup {D}/{B2} "]);
        Left().ShouldBe([B1]);
    }

    [Fact]
    public async Task FailedPrevious_TwoTrailingFailedDirs_OnlyTheNewestIsDeleted_ThenSuccessDropsTheOther()
    {
        Backup(B1);
        Backup(B2, success: false);
        Backup(B3, success: false);

        var folder = await StartAsync();

        _log.ShouldBe([$"Check for last **unsuccessful** backup: {D}", $"Delete last **unsuccessful** backup {D}/{B3} "]);
        Left().ShouldBe([B1, B2, New]);

        // Deviation: failed folders older than the newest success do not take a max_backups place; they go.
        _log.Clear();
        await FinishAsync(folder, 4);
        _log.ShouldBe([$"Deleting oldest backup {D}/{B2} "]);
        Left().ShouldBe([B1, New]);
    }

    [Fact]
    public async Task FailedDirsDoNotCountTowardMaxBackups()
    {
        Backup(B1);
        Backup(B2, success: false);
        Backup(B3);
        Backup(B4, success: false);
        var folder = await StartAsync(); // deletes B4 (newest, failed)
        _log.Clear();

        await FinishAsync(folder, 3);

        // v3.25 would keep B2 (failed), B3 and New, and drop the successful B1.
        _log.ShouldBe([$"Deleting oldest backup {D}/{B2} "]);
        Left().ShouldBe([B1, B3, New]);
    }

    [Fact]
    public async Task StrayFileSortingLast_NoLongerAborts_IsReportedAndKept()
    {
        Backup(B1);
        Backup(B2);
        File.WriteAllText(Path.Combine(_vm.Path, "notes.txt"), "mine");
        Directory.CreateDirectory(Path.Combine(_vm.Path, "old stuff"));

        var folder = await StartAsync();

        _log.ShouldBe([
            $"Check for last **unsuccessful** backup: {D}",
            $"WARNING: not a backup folder, left alone - {D}/notes.txt",
            $"WARNING: not a backup folder, left alone - {D}/old stuff",
        ]);
        Left().ShouldBe([B1, B2, New, "notes.txt", "old stuff"]);

        _log.Clear();
        await FinishAsync(folder, 2);

        _log.ShouldBe([$"Deleting oldest backup {D}/{B1} "]);
        Left().ShouldBe([B2, New, "notes.txt", "old stuff"]);
        File.ReadAllText(Path.Combine(_vm.Path, "notes.txt")).ShouldBe("mine");
    }

    [Fact]
    public async Task PreClean_StrayFilesAreNotCounted()
    {
        Backup(B1);
        Backup(B2);
        File.WriteAllText(Path.Combine(_vm.Path, "00-readme"), "");
        var folder = await StartAsync();
        _log.Clear();

        await RunAsync(NauRetentionPlanner.PlanPreClean(D, _vm.List(), 3, folder.Name));

        // v3.25 counts 00-readme and deletes it (it sorts first); VmBackup keeps both backups and the file.
        _log.ShouldBe([$"success identifying directory : {D} ", "pre_VM_max_backups: 2 "]);
        Left().ShouldBe(["00-readme", B1, B2, New]);
    }

    [Fact]
    public async Task PreClean_DropsFailedFoldersOlderThanTheNewestSuccess_ButNeverTheNewOne()
    {
        Backup(B1, success: false);
        Backup(B2);
        Backup(B3);
        var folder = await StartAsync();
        _log.Clear();

        await RunAsync(NauRetentionPlanner.PlanPreClean(D, _vm.List(), 3, folder.Name));

        _log.ShouldBe([$"success identifying directory : {D} ", "pre_VM_max_backups: 2 ", $"Deleting oldest backup {D}/{B1} "]);
        Left().ShouldBe([B2, B3, New]);
    }

    [Fact]
    public void NeverDeletesTheFolderBeingWritten_NorTheNewestSuccessful()
    {
        // The clock went back: an older run's successful folder has a later name than the current one.
        var listing = new NauVmFolderListing([
            new(B1, true, new DateTime(2019, 6, 1), true),
            new(B2, true, new DateTime(2019, 6, 2), false),
            new(B4, true, new DateTime(2019, 6, 4), true),
        ]);

        var post = NauRetentionPlanner.PlanAfterSuccess("/d", listing, 1, B2);
        post.Deletions.ShouldBe([B1]);

        var pre = NauRetentionPlanner.PlanPreClean("/d", listing, 2, B2);
        pre.Deletions.ShouldBe([B1]);
    }

    [Fact]
    public void CheckHistory_ReportsTheFirstFailedFolder()
    {
        var listing = new NauVmFolderListing([
            new(B3, true, new DateTime(2019, 6, 3), false),
            new(B1, true, new DateTime(2019, 6, 1), true),
            new(B2, true, new DateTime(2019, 6, 2), false),
            new("notes.txt", false, null, false),
        ]);

        var check = NauRetentionPlanner.CheckHistory(listing);

        check.AllSuccessful.ShouldBeFalse();
        check.Messages.ShouldBe([$"WARNING: directory not successful - {B2}", "WARNING cleanup needed - not all backup history is successful"]);
    }

    [Fact]
    public void CheckHistory_AllSuccessful_NoMessage_ForeignEntriesIgnored()
    {
        var listing = new NauVmFolderListing([new(B1, true, new DateTime(2019, 6, 1), true), new("x", false, null, false)]);
        NauRetentionPlanner.CheckHistory(listing).ShouldBe(new NauHistoryCheck(true, []), new NauHistoryCheckComparer());
    }

    [Fact]
    public async Task Execute_RefusesToDeleteAnythingButABackupFolder()
    {
        File.WriteAllText(Path.Combine(_vm.Path, "notes.txt"), "mine");
        var plan = new NauRetentionPlan([new NauRetentionStep("bad", "notes.txt")]);

        await Should.ThrowAsync<InvalidOperationException>(() => RunAsync(plan));

        File.Exists(Path.Combine(_vm.Path, "notes.txt")).ShouldBeTrue();
    }

    [Fact]
    public async Task Execute_RefusesToDeleteThroughASymbolicLink()
    {
        var target = Directory.CreateDirectory(_dir.Combine("precious")).FullName;
        File.WriteAllText(Path.Combine(target, "keep"), "x");
        Directory.CreateSymbolicLink(Path.Combine(_vm.Path, B1), target);
        var plan = new NauRetentionPlan([new NauRetentionStep("bad", B1)]);

        await Should.ThrowAsync<InvalidOperationException>(() => RunAsync(plan));

        File.Exists(Path.Combine(target, "keep")).ShouldBeTrue();
    }

    [Fact]
    public void Planner_SymbolicLinkNamedLikeABackup_IsNeverPlannedForDeletion()
    {
        var target = Directory.CreateDirectory(_dir.Combine("precious")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(_vm.Path, B1), target);
        Backup(B2);
        Backup(B3, success: false);

        var plan = NauRetentionPlanner.PlanFailedPreviousCleanup(D, _vm.List());

        plan.Deletions.ShouldBe([B3]);
        plan.Messages.ShouldContain($"WARNING: not a backup folder, left alone - {D}/{B1}");
    }

    private sealed class NauHistoryCheckComparer : IEqualityComparer<NauHistoryCheck>
    {
        public bool Equals(NauHistoryCheck? x, NauHistoryCheck? y) =>
            x is not null && y is not null && x.AllSuccessful == y.AllSuccessful && x.Messages.SequenceEqual(y.Messages);

        public int GetHashCode(NauHistoryCheck obj) => obj.AllSuccessful.GetHashCode();
    }
}
