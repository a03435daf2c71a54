using System.Text;
using VmBackup.Core.Metadata;

namespace VmBackup.Core.Tests.Metadata;

/// <summary>The Pool Metadata Backup VDI's uuid and VmBackup's archive format inside it.</summary>
public sealed class MetadataArchiveTests
{
    [Fact]
    public void DeriveUuid_IsUuid5OfTheSrUuid_InXapisNamespace()
    {
        // Python: uuid.uuid5(uuid.UUID('e93e0639-2bdb-4a59-8b46-352b3f408c19'), '4f3c2a1e-8b7d-4c6e-9a5f-1d2e3f4a5b6c')
        PoolMetadataVdi.DeriveUuid("4f3c2a1e-8b7d-4c6e-9a5f-1d2e3f4a5b6c").ShouldBe("1d759c87-af6c-5734-8301-165551541cc6");
        PoolMetadataVdi.DefaultSize.ShouldBe(500L * 1024 * 1024);
    }

    [Fact]
    public void Classify_TellsAnArchive_AZeroedVdi_AndForeignData_Apart()
    {
        var zeros = new byte[MetadataArchive.HeaderSize];
        var ext3 = new byte[MetadataArchive.HeaderSize];
        ext3[56] = 0x53;

        MetadataArchive.Classify(zeros).ShouldBe(MetadataArchiveContent.Empty);
        MetadataArchive.Classify(ext3).ShouldBe(MetadataArchiveContent.Foreign);
        MetadataArchive.Classify(MetadataArchive.Header(1024, new string('a', 64))).ShouldBe(MetadataArchiveContent.Archive);
        MetadataArchive.ParseHeader(MetadataArchive.Header(1024, new string('b', 64))).ShouldBe((1024L, new string('b', 64)));
    }

    [Fact]
    public async Task Write_KeepsOnlyTheNamedOldSets_AndListsAndReadsThemBack()
    {
        var first = Set("2026-01-01-00-00-00", 2);
        var second = Set("2026-01-02-00-00-00", 1);
        var third = Set("2026-01-03-00-00-00", 3);
        using var one = new MemoryStream();
        await MetadataArchive.WriteAsync(one, first, null, new HashSet<string>(), 0, CancellationToken.None);
        using var two = new MemoryStream();
        await MetadataArchive.WriteAsync(two, second, Tar(one), new HashSet<string> { first.Name }, 0, CancellationToken.None);
        using var three = new MemoryStream();
        var length = await MetadataArchive.WriteAsync(three, third, Tar(two), new HashSet<string> { second.Name }, 0, CancellationToken.None);

        length.ShouldBe(three.Length);
        var (tarLength, _) = MetadataArchive.ParseHeader(three.ToArray());
        tarLength.ShouldBe(length - MetadataArchive.HeaderSize);
        var listed = await MetadataArchive.ListAsync(Tar(three), CancellationToken.None);
        listed.Select(s => (s.Name, s.Vms)).ShouldBe([(third.Name, 3), (second.Name, 1)]);
        listed[0].Bytes.ShouldBe(third.Info().Bytes);
        var read = await MetadataArchive.ReadSetAsync(Tar(three), second.Name, CancellationToken.None);
        read.ShouldNotBeNull();
        read.Files.Keys.ShouldBe(second.Files.Keys);
        read.Files[MetadataFileNames.VmFile("vm-0")].ShouldBe(second.Files[MetadataFileNames.VmFile("vm-0")]);
        (await MetadataArchive.ReadSetAsync(Tar(three), first.Name, CancellationToken.None)).ShouldBeNull();
    }

    private static MemoryStream Tar(MemoryStream archive) => new(archive.ToArray()[MetadataArchive.HeaderSize..]);

    private static MetadataSet Set(string name, int vms)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [MetadataFileNames.PoolDatabase] = Encoding.UTF8.GetBytes("<database " + name + "/>"),
        };
        for (var i = 0; i < vms; i++)
        {
            files[MetadataFileNames.VmFile("vm-" + i)] = Encoding.UTF8.GetBytes(name + " vm " + i);
        }

        return new MetadataSet(name, files);
    }
}
