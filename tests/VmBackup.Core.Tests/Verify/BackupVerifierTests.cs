using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VmBackup.Core.Verify;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Tests.Verify;

public sealed class BackupVerifierTests : IDisposable
{
    private const long MiB = TestBackupDir.MiB;
    private readonly TestBackupDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<CompressionKind, ChunkChecksumKind> XvaVariants => new()
    {
        { CompressionKind.None, ChunkChecksumKind.Xxhash },
        { CompressionKind.None, ChunkChecksumKind.Sha1 },
        { CompressionKind.Gzip, ChunkChecksumKind.Xxhash },
        { CompressionKind.Gzip, ChunkChecksumKind.Sha1 },
        { CompressionKind.Zstd, ChunkChecksumKind.Xxhash },
    };

    [Theory]
    [MemberData(nameof(XvaVariants))]
    public async Task Xva_OfEveryKind_VerifiesOk_AndWritesTheVerifiedRecord(CompressionKind compression, ChunkChecksumKind checksum)
    {
        var folder = await _dir.AddXvaAsync("PROD web", TestBackupDir.Time(1), [5 * MiB + 4096, 3 * MiB], compression, checksum);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        result.IsOk.ShouldBeTrue();
        result.Warnings.ShouldBeEmpty();
        result.VmFolderName.ShouldBe("PROD web");
        result.BackupName.ShouldBe("backup-2025-03-01-(02:10:44)");
        var dataPath = Path.Combine(folder.Path, result.DataFile!.FileName);
        result.Sha256.ShouldBe(Sha256Of(dataPath));
        result.BytesRead.ShouldBe(new FileInfo(dataPath).Length);
        result.RecordWritten.ShouldBeTrue();

        var record = VerificationRecord.TryRead(folder.Path).ShouldNotBeNull();
        record.Ok.ShouldBeTrue();
        record.Sha256.ShouldBe(result.Sha256);
        record.DataFileName.ShouldBe(result.DataFile.FileName);
        record.StateFor(folder.Describe()).ShouldBe(VerificationState.Ok);
        File.Exists(Path.Combine(folder.Path, VerificationRecord.FileName + NauBackupFolder.PartialSuffix)).ShouldBeFalse();
    }

    [Fact]
    public async Task Raw_OfTheVdiCfgSize_VerifiesOk()
    {
        var folder = await _dir.AddRawAsync("DEV-1", TestBackupDir.Time(2), 6 * MiB);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        result.DataFile!.Kind.ShouldBe(NauDataFileKind.Raw);
        result.Sha256.ShouldBe(Sha256Of(folder.DataFilePath(NauDataFileKind.Raw)));
    }

    [Fact]
    public async Task Vhd_VerifiesOk_WithTheDigestOfTheWholeFile()
    {
        var folder = await _dir.AddVhdAsync("DEV-2", TestBackupDir.Time(3), 9 * MiB);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        result.Sha256.ShouldBe(Sha256Of(folder.DataFilePath(NauDataFileKind.Vhd)));
        result.BytesRead.ShouldBe(new FileInfo(folder.DataFilePath(NauDataFileKind.Vhd)).Length);
    }

    [Theory]
    [InlineData(ChunkChecksumKind.Xxhash)]
    [InlineData(ChunkChecksumKind.Sha1)]
    public async Task Xva_WithOneFlippedByteInAChunk_FailsNamingTheChunkAndItsOffset(ChunkChecksumKind checksum)
    {
        var folder = await _dir.AddXvaAsync("PROD-db", TestBackupDir.Time(4), [4 * MiB], checksum: checksum);
        var path = folder.DataFilePath(NauDataFileKind.Xva);
        var bytes = await File.ReadAllBytesAsync(path);
        var dataOffset = TarDataOffset(bytes, "Ref:10/00000002");
        bytes[dataOffset + 1000] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("PROD-db.xva");
        failure.Offset.ShouldBe(dataOffset);
        failure.Message.ShouldContain("checksum mismatch for chunk 'Ref:10/00000002'");
        failure.ToString().ShouldStartWith($"PROD-db.xva at offset {dataOffset}: ");
        result.Sha256.ShouldBeNull();
        var record = VerificationRecord.TryRead(folder.Path).ShouldNotBeNull();
        record.Ok.ShouldBeFalse();
        record.Failures.ShouldHaveSingleItem().ShouldBe(failure);
        record.StateFor(folder.Describe()).ShouldBe(VerificationState.Failed);
    }

    [Fact]
    public async Task GzipXva_CutShort_FailsWithAnOffsetInTheUncompressedStream()
    {
        var folder = await _dir.AddXvaAsync("DEV-gz", TestBackupDir.Time(5), [4 * MiB], CompressionKind.Gzip);
        var path = folder.DataFilePath(NauDataFileKind.XvaGzip);
        var length = new FileInfo(path).Length;
        await using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(length / 2);
        }

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DEV-gz.xva.gz");
        failure.OffsetInDecompressedStream.ShouldBeTrue();
        failure.ToString().ShouldContain("at uncompressed offset");
    }

    [Fact]
    public async Task TruncatedVhd_FailsNamingTheFooterAndItsOffset()
    {
        var folder = await _dir.AddVhdAsync("DEV-3", TestBackupDir.Time(6), 8 * MiB);
        var path = folder.DataFilePath(NauDataFileKind.Vhd);
        var cut = new FileInfo(path).Length - 3000;
        await using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(cut);
        }

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DEV-3.vhd");
        failure.Offset.ShouldBe(cut - 512);
        failure.Message.ShouldContain("footer");
    }

    [Fact]
    public async Task Vhd_WithABlockCutOff_FailsNamingTheBlock()
    {
        var folder = await _dir.AddVhdAsync("DEV-4", TestBackupDir.Time(7), 8 * MiB);
        var path = folder.DataFilePath(NauDataFileKind.Vhd);
        var bytes = await File.ReadAllBytesAsync(path);
        var footer = bytes[^512..];
        var shortened = bytes[..^(512 + (1024 * 1024))].Concat(footer).ToArray();
        await File.WriteAllBytesAsync(path, shortened);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Message.ShouldContain("block 3");
        failure.Message.ShouldContain("truncated");
        failure.Offset.ShouldNotBeNull();
    }

    [Fact]
    public async Task MissingSuccessMarker_Fails_ButTheDataIsStillVerified()
    {
        var folder = await _dir.AddXvaAsync("DEV-5", TestBackupDir.Time(8), [2 * MiB], marker: false);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("success");
        failure.Offset.ShouldBeNull();
        failure.Message.ShouldStartWith("missing success marker");
        result.Sha256.ShouldNotBeNull();
    }

    [Fact]
    public async Task OtherSuccessMarkers_Count()
    {
        var folder = await _dir.AddXvaAsync("DEV-6", TestBackupDir.Time(9), [2 * MiB], marker: false);
        await folder.WriteSuccessMarkerAsync(NauSuccessMarker.SuccessCompress, CancellationToken.None);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeletedVdiCfg_FailsNamingIt()
    {
        var folder = await _dir.AddXvaAsync("DEV-7", TestBackupDir.Time(10), [2 * MiB, MiB]);
        File.Delete(Path.Combine(folder.Path, "DISK-xvdb", "vdi.cfg"));

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DISK-xvdb/vdi.cfg");
        failure.Message.ShouldStartWith("missing");
        result.Sha256.ShouldNotBeNull("the data file is still read and hashed");
    }

    [Fact]
    public async Task VdiCfg_WithANonNumericSize_FailsAtThatLine()
    {
        var folder = await _dir.AddXvaAsync("DEV-8", TestBackupDir.Time(11), [2 * MiB]);
        var cfg = Path.Combine(folder.Path, "DISK-xvda", "vdi.cfg");
        await File.WriteAllTextAsync(cfg, "name_label=disk\nname_description=\nvirtual_size=12x\ntype=user\n");

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DISK-xvda/vdi.cfg");
        failure.Offset.ShouldBe("name_label=disk\nname_description=\n".Length);
        failure.Message.ShouldContain("virtual_size=12x");
    }

    [Fact]
    public async Task Xva_WhoseDisksDoNotMatchTheDiskFolders_Fails()
    {
        var folder = await _dir.AddXvaAsync("DEV-9", TestBackupDir.Time(12), [2 * MiB, MiB]);
        Directory.Delete(Path.Combine(folder.Path, "DISK-xvdb"), recursive: true);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DEV-9.xva");
        failure.Message.ShouldContain("holds 2 disk(s)");
        failure.Message.ShouldContain("1 DISK-*/vdi.cfg");
    }

    [Fact]
    public async Task Xva_WithADiskOfAnotherSize_FailsNamingTheVdiCfg()
    {
        var folder = await _dir.AddXvaAsync("DEV-10", TestBackupDir.Time(13), [2 * MiB]);
        var cfg = Path.Combine(folder.Path, "DISK-xvda", "vdi.cfg");
        await File.WriteAllTextAsync(cfg, (await File.ReadAllTextAsync(cfg)).Replace("virtual_size=2097152", "virtual_size=3145728", StringComparison.Ordinal));

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DISK-xvda/vdi.cfg");
        failure.Message.ShouldContain("virtual_size 3145728 matches no disk of DEV-10.xva");
    }

    [Fact]
    public async Task Xva_MissingADiskDeclaredInOvaXml_FailsNamingTheDisk()
    {
        var folder = await _dir.AddXvaAsync("DEV-19", TestBackupDir.Time(22), [2 * MiB, MiB]);
        var metadata = TestBackupDir.Metadata("DEV-19", [("Ref:10", 2 * MiB), ("Ref:11", MiB)]);
        await using (var output = File.Create(folder.DataFilePath(NauDataFileKind.Xva)))
        {
            var only = new StreamDiskSource(new MemoryStream(TestBackupDir.Content(2 * MiB, 1)));
            await XvaWriter.WriteAsync(output, metadata, [new XvaDisk("Ref:10", only)], null, CancellationToken.None);
        }

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DEV-19.xva");
        failure.Message.ShouldBe("disk Ref:11 (VDI 'disk Ref:11', virtual_size 1048576) has no data in the XVA");
    }

    [Fact]
    public async Task LeftoverPartialFile_IsAWarning_AndTwoDataFilesAreAFailure()
    {
        var folder = await _dir.AddRawAsync("DEV-20", TestBackupDir.Time(23), MiB);
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "DEV-20.vhd.partial"), [1, 2, 3]);

        var withPartial = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);
        File.Move(Path.Combine(folder.Path, "DEV-20.vhd.partial"), Path.Combine(folder.Path, "DEV-20.vhd"));
        var withTwo = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        withPartial.IsOk.ShouldBeTrue();
        withPartial.Warnings.ShouldHaveSingleItem().ShouldStartWith("DEV-20.vhd.partial: leftover of an interrupted write");
        withTwo.Failures.ShouldHaveSingleItem().Message.ShouldBe("more than one data file: DEV-20.raw, DEV-20.vhd");
    }

    [Theory]
    [InlineData(-4096, "truncated: 4096 bytes missing")]
    [InlineData(512, "512 bytes too many")]
    public async Task Raw_OfTheWrongSize_Fails(long difference, string what)
    {
        var folder = await _dir.AddRawAsync("DEV-11", TestBackupDir.Time(14), (4 * MiB) + difference, cfgSize: 4 * MiB);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.File.ShouldBe("DEV-11.raw");
        failure.Offset.ShouldBe(Math.Min(4 * MiB, (4 * MiB) + difference));
        failure.Message.ShouldContain("DISK-xvda/vdi.cfg virtual_size 4194304");
        failure.Message.ShouldContain(what);
    }

    [Fact]
    public async Task Raw_WithoutDiskXvda_FailsNamingIt()
    {
        var folder = await _dir.AddRawAsync("DEV-12", TestBackupDir.Time(15), MiB);
        Directory.Delete(Path.Combine(folder.Path, "DISK-xvda"), recursive: true);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.Failures.ShouldHaveSingleItem().File.ShouldBe("DISK-xvda/vdi.cfg");
    }

    [Fact]
    public async Task NoDataFile_Fails()
    {
        var folder = await _dir.AddRawAsync("DEV-13", TestBackupDir.Time(16), MiB);
        File.Delete(folder.DataFilePath(NauDataFileKind.Raw));

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Message.ShouldStartWith("no data file");
        result.DataFile.ShouldBeNull();
    }

    [Fact]
    public async Task BrokenVmMetadataXml_Fails_AndAnEmptyOneIsOnlyAWarning()
    {
        var folder = await _dir.AddRawAsync("DEV-14", TestBackupDir.Time(17), MiB);
        var xml = Path.Combine(folder.Path, NauBackupFolder.VmMetadataFileName);
        await File.WriteAllTextAsync(xml, "<value><struct>");

        var broken = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);
        await File.WriteAllTextAsync(xml, string.Empty);
        var empty = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        broken.Failures.ShouldHaveSingleItem().File.ShouldBe("vm-metadata.xml");
        empty.Failures.ShouldBeEmpty();
        empty.Warnings.ShouldHaveSingleItem().ShouldContain("vm-metadata.xml is empty");
    }

    [Fact]
    public async Task TheDataFileIsNeverWritten()
    {
        var folder = await _dir.AddXvaAsync("DEV-15", TestBackupDir.Time(18), [2 * MiB]);
        var path = folder.DataFilePath(NauDataFileKind.Xva);
        var before = File.GetLastWriteTimeUtc(path);
        var hash = Sha256Of(path);
        File.SetAttributes(path, FileAttributes.ReadOnly);

        var result = await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);

        result.IsOk.ShouldBeTrue();
        File.GetLastWriteTimeUtc(path).ShouldBe(before);
        Sha256Of(path).ShouldBe(hash);
    }

    [Fact]
    public async Task ARecordBecomesStale_WhenTheDataFileChangesAfterwards()
    {
        var folder = await _dir.AddRawAsync("DEV-16", TestBackupDir.Time(19), MiB);
        await BackupVerifier.VerifyAsync(folder.Path, CancellationToken.None);
        var record = VerificationRecord.TryRead(folder.Path).ShouldNotBeNull();
        record.StateFor(folder.Describe()).ShouldBe(VerificationState.Ok);

        File.SetLastWriteTimeUtc(folder.DataFilePath(NauDataFileKind.Raw), record.Date.UtcDateTime.AddMinutes(5));

        record.StateFor(folder.Describe()).ShouldBe(VerificationState.Stale);
    }

    [Fact]
    public async Task TheRecordUsesTheInjectedClock_AndCanBeSkipped()
    {
        var folder = await _dir.AddRawAsync("DEV-17", TestBackupDir.Time(20), MiB);
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var skipped = await BackupVerifier.VerifyAsync(folder.Path, new BackupVerifierOptions { TimeProvider = clock, WriteRecord = false }, CancellationToken.None);
        File.Exists(Path.Combine(folder.Path, VerificationRecord.FileName)).ShouldBeFalse();
        var written = await BackupVerifier.VerifyAsync(folder.Path, new BackupVerifierOptions { TimeProvider = clock }, CancellationToken.None);

        skipped.RecordWritten.ShouldBeFalse();
        skipped.VerifiedAt.ShouldBe(clock.GetUtcNow());
        written.RecordWritten.ShouldBeTrue();
        var text = await File.ReadAllTextAsync(Path.Combine(folder.Path, VerificationRecord.FileName));
        text.ShouldContain("\ndate=2030-01-02T03:04:05.0000000+00:00\n");
        text.ShouldContain("\nresult=ok\n");
        text.ShouldContain($"\nsha256={written.Sha256}\n");
        text.ShouldContain($"\nbytes={MiB}\n");
    }

    [Fact]
    public async Task AFolderThatIsNotABackupFolder_IsRefused()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir.Path, "DEV-1", "old")).FullName;

        await Should.ThrowAsync<ArgumentException>(() => BackupVerifier.VerifyAsync(dir, CancellationToken.None));
        await Should.ThrowAsync<DirectoryNotFoundException>(() => BackupVerifier.VerifyAsync(Path.Combine(_dir.Path, "DEV-1", "backup-2025-01-01-(00:00:00)"), CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        var folder = await _dir.AddXvaAsync("DEV-18", TestBackupDir.Time(21), [8 * MiB]);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => BackupVerifier.VerifyAsync(folder.Path, cts.Token));
        File.Exists(Path.Combine(folder.Path, VerificationRecord.FileName)).ShouldBeFalse();
    }

    internal static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The offset of the data of tar entry <paramref name="name"/> (headers are 512-byte aligned).</summary>
    internal static int TarDataOffset(byte[] tar, string name)
    {
        var wanted = Encoding.ASCII.GetBytes(name + "\0");
        for (var offset = 0; offset + 512 <= tar.Length; offset += 512)
        {
            if (tar.AsSpan(offset, wanted.Length).SequenceEqual(wanted))
            {
                return offset + 512;
            }
        }

        throw new InvalidOperationException($"no tar entry {name}");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
