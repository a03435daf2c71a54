using VmBackup.Repository.Nau;

namespace VmBackup.Repository.Tests.Nau;

public sealed class NauNamesTests
{
    [Fact]
    public void BackupFolderName_IsZeroPaddedLocalWallClock()
    {
        var t = new DateTimeOffset(2019, 6, 3, 4, 5, 6, TimeSpan.FromHours(2));
        NauNames.BackupFolderName(t).ShouldBe("backup-2019-06-03-(04:05:06)");
    }

    [Fact]
    public void BackupFolderName_Uses24Hours()
    {
        NauNames.BackupFolderName(new DateTimeOffset(2018, 10, 28, 23, 59, 59, TimeSpan.Zero)).ShouldBe("backup-2018-10-28-(23:59:59)");
    }

    [Fact]
    public void TryParseBackupFolderName_RoundTrips()
    {
        NauNames.TryParseBackupFolderName("backup-2019-06-30-(16:52:37)", out var t).ShouldBeTrue();
        t.ShouldBe(new DateTime(2019, 6, 30, 16, 52, 37));
    }

    [Theory]
    [InlineData("backup-2019-6-30-(16:52:37)")]
    [InlineData("backup-2019-06-30-(16:52:37)x")]
    [InlineData("backup-2019-06-30-16:52:37")]
    [InlineData("backup-2019-02-30-(16:52:37)")]
    [InlineData("backup-old")]
    [InlineData("notes.txt")]
    [InlineData("Backup-2019-06-30-(16:52:37)")]
    [InlineData("")]
    public void TryParseBackupFolderName_RejectsOtherNames(string name)
    {
        NauNames.TryParseBackupFolderName(name, out _).ShouldBeFalse();
    }

    [Fact]
    public void PoolDump_AndMetadataFolder()
    {
        NauNames.PoolDumpFileName(new DateTimeOffset(2019, 1, 2, 3, 4, 5, TimeSpan.Zero)).ShouldBe("pool_db_20190102-030405.dump");
        NauNames.MetadataFolderName("xs1").ShouldBe("METADATA_xs1");
    }

    [Theory]
    [InlineData("DEV 1", "DEV 1")]
    [InlineData("Windows Server 2019 (64-bit)", "Windows Server 2019 (64-bit)")]
    [InlineData("web/01", "web%2F01")]
    [InlineData("../etc", "..%2Fetc")]
    [InlineData("a%2Fb", "a%2Fb")]
    [InlineData("café", "café")]
    public void VmFolderName_KeepsTheNameButNeverNests(string vm, string expected)
    {
        NauNames.VmFolderName(vm).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void VmFolderName_RefusesNamesThatAreNotAFolderOfTheirOwn(string vm)
    {
        Should.Throw<ArgumentException>(() => NauNames.VmFolderName(vm)).Message.ShouldContain("cannot be used");
    }

    [Theory]
    [InlineData(NauDataFileKind.Xva, "DEV-1.xva")]
    [InlineData(NauDataFileKind.XvaGzip, "DEV-1.xva.gz")]
    [InlineData(NauDataFileKind.XvaZstd, "DEV-1.xva.zst")]
    [InlineData(NauDataFileKind.Raw, "DEV-1.raw")]
    [InlineData(NauDataFileKind.Vhd, "DEV-1.vhd")]
    public void DataFileName_AndKindRoundTrip(NauDataFileKind kind, string expected)
    {
        NauNames.DataFileName("DEV-1", kind).ShouldBe(expected);
        NauDataFileKinds.TryFromFileName(expected, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(kind);
    }

    [Theory]
    [InlineData("DEV-1.xva.partial")]
    [InlineData("vm-metadata.xml")]
    [InlineData("success")]
    [InlineData(".xva")]
    [InlineData("DEV-1.XVA")]
    public void TryFromFileName_RejectsNonDataFiles(string name)
    {
        NauDataFileKinds.TryFromFileName(name, out _).ShouldBeFalse();
    }

    [Fact]
    public void Join_IsPythonOsPathJoin()
    {
        NauBackupRoot.Join("/snapshots/BACKUPS", "DEV-1").ShouldBe("/snapshots/BACKUPS/DEV-1");
        NauBackupRoot.Join("/snapshots/BACKUPS/", "DEV-1").ShouldBe("/snapshots/BACKUPS/DEV-1");
    }

    [Fact]
    public void Markers_FileNamesRoundTrip()
    {
        NauMarkers.All.Select(NauMarkers.FileName).ShouldBe(["success", "success_restore", "success_compress", "success_compressing"]);
        NauMarkers.TryParse("success_compressing", out var m).ShouldBeTrue();
        m.ShouldBe(NauSuccessMarker.SuccessCompressing);
        NauMarkers.TryParse("Success", out _).ShouldBeFalse();
    }
}
