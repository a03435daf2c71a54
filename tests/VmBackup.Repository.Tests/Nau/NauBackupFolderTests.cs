using System.Text;
using VmBackup.Repository.Nau;

namespace VmBackup.Repository.Tests.Nau;

public sealed class NauBackupFolderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2019, 6, 30, 16, 52, 37, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private NauVmFolder Vm(string name = "DEV 1") => new NauBackupRoot(_dir.Path).VmFolder(name);

    [Fact]
    public void CreateBackupFolder_CreatesVmFolderAndNamedFolder()
    {
        var folder = Vm().CreateBackupFolder(T0);

        folder.Name.ShouldBe("backup-2019-06-30-(16:52:37)");
        folder.Path.ShouldBe(_dir.Path + "/DEV 1/backup-2019-06-30-(16:52:37)");
        Directory.Exists(folder.Path).ShouldBeTrue();
        folder.LocalTime.ShouldBe(new DateTime(2019, 6, 30, 16, 52, 37));
    }

    [Fact]
    public void CreateBackupFolder_VmNameWithSlash_StaysOneLevelDown()
    {
        var folder = Vm("web/01").CreateBackupFolder(T0);

        Directory.Exists(_dir.Combine("web%2F01", folder.Name)).ShouldBeTrue();
        Directory.Exists(_dir.Combine("web")).ShouldBeFalse();
        folder.DataFilePath(NauDataFileKind.Xva).ShouldEndWith("/web%2F01/backup-2019-06-30-(16:52:37)/web%2F01.xva");
    }

    [Fact]
    public void CreateBackupFolder_ReusesAFailedFolderOfTheSameName()
    {
        var vm = Vm();
        var first = vm.CreateBackupFolder(T0);
        File.WriteAllText(Path.Combine(first.Path, "keep"), "x");

        var again = vm.CreateBackupFolder(T0);

        again.Path.ShouldBe(first.Path);
        File.Exists(Path.Combine(again.Path, "keep")).ShouldBeTrue();
    }

    [Fact]
    public async Task CreateBackupFolder_NeverReusesASuccessfulFolder()
    {
        var vm = Vm();
        var first = vm.CreateBackupFolder(T0);
        await first.WriteSuccessMarkerAsync(NauSuccessMarker.Success, CancellationToken.None);

        Should.Throw<IOException>(() => vm.CreateBackupFolder(T0)).Message.ShouldContain("successful");
        File.Exists(Path.Combine(first.Path, "success")).ShouldBeTrue();
    }

    [Fact]
    public async Task DataFile_Commit_RenamesPartialToFinalName()
    {
        var folder = Vm().CreateBackupFolder(T0);
        var stream = await folder.OpenDataFileForWriteAsync(NauDataFileKind.Xva, CancellationToken.None);
        await using (stream)
        {
            stream.TemporaryPath.ShouldBe(folder.Path + "/DEV 1.xva.partial");
            await stream.WriteAsync(Encoding.ASCII.GetBytes("hello"), CancellationToken.None);
            File.Exists(stream.TemporaryPath).ShouldBeTrue();
            File.Exists(stream.FinalPath).ShouldBeFalse();

            await stream.CommitAsync(CancellationToken.None);
        }

        File.ReadAllText(folder.Path + "/DEV 1.xva").ShouldBe("hello");
        File.Exists(folder.Path + "/DEV 1.xva.partial").ShouldBeFalse();
        var point = folder.Describe();
        point.DataFile.ShouldBe(new NauDataFileInfo("DEV 1.xva", NauDataFileKind.Xva, 5));
        point.IsSuccessful.ShouldBeFalse();
    }

    [Fact]
    public async Task DataFile_DisposeWithoutCommit_LeavesNothing()
    {
        var folder = Vm().CreateBackupFolder(T0);
        var stream = await folder.OpenDataFileForWriteAsync(NauDataFileKind.XvaGzip, CancellationToken.None);
        await using (stream)
        {
            await stream.WriteAsync(new byte[1000], CancellationToken.None);
        }

        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty();
        folder.Describe().DataFiles.ShouldBeEmpty();
    }

    [Fact]
    public async Task DataFile_LargerThanTheWriteBehindInterval_CommitsExactBytes_AndAbandonsCleanly()
    {
        var folder = Vm().CreateBackupFolder(T0);
        var chunk = new byte[1 << 20];
        var size = NauPartialFileStream.WriteBehindInterval * 2 + 12345;
        using var expected = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        await using (var stream = await folder.OpenDataFileForWriteAsync(NauDataFileKind.Raw, CancellationToken.None))
        {
            for (long written = 0, i = 0; written < size; i++)
            {
                Random.Shared.NextBytes(chunk);
                var n = (int)Math.Min(chunk.Length, size - written);
                expected.AppendData(chunk, 0, n);
                if (i % 2 == 0)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, n), CancellationToken.None);
                }
                else
                {
                    stream.Write(chunk, 0, n);
                }

                written += n;
            }

            await stream.CommitAsync(CancellationToken.None);
        }

        var path = folder.DataFilePath(NauDataFileKind.Raw);
        new FileInfo(path).Length.ShouldBe(size);
        await using (var file = File.OpenRead(path))
        {
            Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(file)).ShouldBe(Convert.ToHexString(expected.GetHashAndReset()));
        }

        // Abandoned while background flushes may still run: nothing is left.
        var other = Vm().CreateBackupFolder(T0.AddMinutes(1));
        await using (var stream = await other.OpenDataFileForWriteAsync(NauDataFileKind.Raw, CancellationToken.None))
        {
            for (var i = 0; i < 70; i++)
            {
                await stream.WriteAsync(chunk, CancellationToken.None);
            }
        }

        Directory.EnumerateFileSystemEntries(other.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task DataFile_WriteAfterCommit_Throws()
    {
        var folder = Vm().CreateBackupFolder(T0);
        await using var stream = await folder.OpenDataFileForWriteAsync(NauDataFileKind.Raw, CancellationToken.None);
        await stream.CommitAsync(CancellationToken.None);

        await Should.ThrowAsync<InvalidOperationException>(async () => await stream.WriteAsync(new byte[1], CancellationToken.None));
        File.Exists(folder.DataFilePath(NauDataFileKind.Raw)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("success")]
    [InlineData("x.partial")]
    [InlineData("..")]
    public async Task OpenDataFileForWrite_RefusesMarkerAndTemporaryNames(string name)
    {
        var folder = Vm().CreateBackupFolder(T0);
        await Should.ThrowAsync<ArgumentException>(() => folder.OpenDataFileForWriteAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task KilledRun_PartialFileIsNotADataFile_AndTheNextRunRemovesIt()
    {
        var vm = Vm();
        var killed = vm.CreateBackupFolder(T0);
        await File.WriteAllTextAsync(killed.Path + "/DEV 1.xva.partial", "half an export");

        var point = vm.ListRestorePoints().ShouldHaveSingleItem();
        point.DataFiles.ShouldBeEmpty();
        point.PartialFiles.ShouldBe(["DEV 1.xva.partial"]);
        point.IsSuccessful.ShouldBeFalse();

        var next = vm.CreateBackupFolder(T0.AddDays(1));
        await File.WriteAllTextAsync(next.Path + "/DEV 1.xva.partial", "being written");
        var removed = vm.RemovePartialFiles(next.Name);

        removed.ShouldBe([killed.Path + "/DEV 1.xva.partial"]);
        File.Exists(killed.Path + "/DEV 1.xva.partial").ShouldBeFalse();
        File.Exists(next.Path + "/DEV 1.xva.partial").ShouldBeTrue();
    }

    [Fact]
    public async Task SuccessMarker_IsAnEmptyFile_AndMakesTheFolderSuccessful()
    {
        var folder = Vm().CreateBackupFolder(T0);
        folder.IsSuccessful.ShouldBeFalse();

        await folder.WriteSuccessMarkerAsync(NauSuccessMarker.SuccessCompress, CancellationToken.None);

        new FileInfo(folder.Path + "/success_compress").Length.ShouldBe(0);
        folder.IsSuccessful.ShouldBeTrue();
        folder.Describe().Markers.ShouldBe([NauSuccessMarker.SuccessCompress]);
    }

    [Fact]
    public async Task ListRestorePoints_ReportsMarkersKindsAndSizes_OldestFirst_IgnoringForeignEntries()
    {
        var vm = Vm();
        vm.EnsureExists();
        var a = Directory.CreateDirectory(vm.Path + "/backup-2019-06-01-(01:00:00)").FullName;
        await File.WriteAllBytesAsync(a + "/DEV 1.xva.gz", new byte[7]);
        await File.WriteAllTextAsync(a + "/success_restore", "");
        await File.WriteAllTextAsync(a + "/success_compressing", "");
        await File.WriteAllTextAsync(a + "/verified", "2019-06-02 sha256:abc");
        var b = Directory.CreateDirectory(vm.Path + "/backup-2019-06-02-(01:00:00)").FullName;
        await File.WriteAllBytesAsync(b + "/DEV 1.vhd", new byte[3]);
        Directory.CreateDirectory(b + "/DISK-xvda");
        Directory.CreateDirectory(vm.Path + "/backup-old");
        await File.WriteAllTextAsync(vm.Path + "/notes.txt", "");

        var points = vm.ListRestorePoints();

        points.Select(p => p.Name).ShouldBe(["backup-2019-06-01-(01:00:00)", "backup-2019-06-02-(01:00:00)"]);
        points[0].Markers.ShouldBe([NauSuccessMarker.SuccessRestore, NauSuccessMarker.SuccessCompressing]);
        points[0].IsSuccessful.ShouldBeTrue();
        points[0].DataFile.ShouldBe(new NauDataFileInfo("DEV 1.xva.gz", NauDataFileKind.XvaGzip, 7));
        points[1].IsSuccessful.ShouldBeFalse();
        points[1].DataFile.ShouldBe(new NauDataFileInfo("DEV 1.vhd", NauDataFileKind.Vhd, 3));
        points[1].LocalTime.ShouldBe(new DateTime(2019, 6, 2, 1, 0, 0));

        var listing = vm.List();
        listing.Foreign.Select(f => f.Name).ShouldBe(["backup-old", "notes.txt"]);
        listing.NewestSuccessful!.Name.ShouldBe("backup-2019-06-01-(01:00:00)");
    }

    [Fact]
    public void List_SymbolicLinkNamedLikeABackup_IsForeign()
    {
        var vm = Vm();
        vm.EnsureExists();
        var target = Directory.CreateDirectory(_dir.Combine("elsewhere")).FullName;
        Directory.CreateSymbolicLink(vm.Path + "/backup-2019-06-01-(01:00:00)", target);

        var entry = vm.List().Entries.ShouldHaveSingleItem();
        entry.IsBackupFolder.ShouldBeFalse();
    }

    [Fact]
    public void List_MissingVmFolder_IsEmpty()
    {
        Vm("nobody").List().Entries.ShouldBeEmpty();
        Vm("nobody").ListRestorePoints().ShouldBeEmpty();
    }

    [Fact]
    public async Task PoolDump_IsWrittenWithMode0600UnderMetadataFolder()
    {
        var root = new NauBackupRoot(_dir.Path);
        var stream = await root.OpenPoolDumpForWriteAsync("xs1", T0, CancellationToken.None);
        await using (stream)
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
            await stream.CommitAsync(CancellationToken.None);
        }

        var path = _dir.Path + "/METADATA_xs1/pool_db_20190630-165237.dump";
        root.PoolDumpPath("xs1", T0).ShouldBe(path);
        File.ReadAllBytes(path).ShouldBe(new byte[] { 1, 2, 3 });
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        root.ListVmFolderNames().ShouldBeEmpty();
    }

    [Fact]
    public void ListVmFolderNames_SkipsMetadataAndFiles()
    {
        var root = new NauBackupRoot(_dir.Path);
        Directory.CreateDirectory(_dir.Combine("METADATA_xs1"));
        Directory.CreateDirectory(_dir.Combine("b vm"));
        Directory.CreateDirectory(_dir.Combine("A"));
        File.WriteAllText(_dir.Combine("00VMbackupWriteTest"), "");

        root.ListVmFolderNames().ShouldBe(["A", "b vm"]);
    }
}
