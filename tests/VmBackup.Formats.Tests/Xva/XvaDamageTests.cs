using System.Text;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests.Xva;

public class XvaDamageTests
{
    private const int Mi = 1024 * 1024;

    /// <summary>A 3-chunk disk (all chunks non-zero) as a list of tar entries that tests can tamper with.</summary>
    private static List<(string Name, byte[] Data)> Entries(long size = 3L * Mi)
    {
        var rng = new Random(11);
        var entries = new List<(string, byte[])> { ("ova.xml", XvaTestData.Metadata([("Ref:1", size)]).ToUtf8()) };
        for (var c = 0; c * (long)Mi < size; c++)
        {
            var data = new byte[Math.Min(Mi, size - (c * (long)Mi))];
            rng.NextBytes(data);
            var name = $"Ref:1/{c:D8}";
            entries.Add((name, data));
            entries.Add((name + ".xxhash", Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash(data)))));
        }

        return entries;
    }

    private static async Task<byte[]> TarAsync(IEnumerable<(string Name, byte[] Data)> entries, bool end = true)
    {
        var ms = new MemoryStream();
        var tar = new TarWriter(ms);
        foreach (var (name, data) in entries)
        {
            await tar.WriteEntryAsync(name, data, 0, CancellationToken.None);
        }

        if (end)
        {
            await tar.WriteEndAsync(CancellationToken.None);
        }

        return ms.ToArray();
    }

    private static async Task<XvaFormatException> ReadFailsAsync(byte[] xva) =>
        await Should.ThrowAsync<XvaFormatException>(() => XvaTestData.ReadAsync(xva));

    [Fact]
    public async Task Intact_Reads()
    {
        var (result, _) = await XvaTestData.ReadAsync(await TarAsync(Entries()));
        result.Disks.Single().DataBytes.ShouldBe(3L * Mi);
    }

    [Fact]
    public async Task BadChecksum_NamesChunkAndOffset()
    {
        var entries = Entries();
        entries[3].Data[12345] ^= 0xFF; // data of Ref:1/00000001
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("checksum mismatch for chunk 'Ref:1/00000001'");
        e.EntryName.ShouldBe("Ref:1/00000001");
        var ovaBlocks = 512 + ((entries[0].Data.Length + 511) / 512 * 512);
        e.Offset.ShouldBe(ovaBlocks + 512 + Mi + 1024 + 512); // data of the second chunk
        e.Message.ShouldContain($"offset {e.Offset}");
    }

    [Fact]
    public async Task BadSha1Checksum_IsDetectedToo()
    {
        var entries = Entries();
        entries[2] = ("Ref:1/00000000.checksum", Encoding.ASCII.GetBytes(new string('0', 40)));
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("checksum mismatch for chunk 'Ref:1/00000000'");
    }

    [Fact]
    public async Task BadChecksum_AcceptedWhenVerificationIsOff()
    {
        var entries = Entries();
        entries[2] = (entries[2].Name, "0000000000000000"u8.ToArray());
        var (result, _) = await XvaTestData.ReadAsync(await TarAsync(entries), new XvaReaderOptions { VerifyChecksums = false });
        result.Disks.Single().ChunkEntries.ShouldBe(3);
    }

    [Fact]
    public async Task MissingChecksumEntry_NamesChunkAndOffset()
    {
        var entries = Entries();
        entries.RemoveAt(4); // Ref:1/00000001.xxhash
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("missing checksum entry for chunk 'Ref:1/00000001'");
        e.Message.ShouldContain("found 'Ref:1/00000002'");
        e.Message.ShouldContain($"at offset {e.Offset}");
    }

    [Fact]
    public async Task OutOfOrderChunk_NamesEntryAndOffset()
    {
        var entries = Entries(4L * Mi);
        (entries[3], entries[5]) = (entries[5], entries[3]);
        (entries[4], entries[6]) = (entries[6], entries[4]);
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("out-of-order chunk 'Ref:1/00000001'");
        e.EntryName.ShouldBe("Ref:1/00000001");
        e.Message.ShouldContain($"at offset {e.Offset}");
    }

    [Fact]
    public async Task ChunkAfterCompleteDisk_IsOutOfOrder()
    {
        var entries = Entries();
        (entries[3], entries[5]) = (entries[5], entries[3]);
        (entries[4], entries[6]) = (entries[6], entries[4]);
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("out-of-order chunk 'Ref:1/00000001'");
        e.Message.ShouldContain("already complete");
    }

    [Fact]
    public async Task ChunkOfAnotherDisk_IsRejected()
    {
        var entries = Entries();
        entries[5] = ("Ref:2/00000002", entries[5].Data);
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("expected a chunk of disk Ref:1");
        e.Message.ShouldContain("found 'Ref:2/00000002'");
    }

    [Fact]
    public async Task TruncatedInsideChunk_NamesEntryAndOffset()
    {
        var full = await TarAsync(Entries());
        var e = await ReadFailsAsync(full[..(full.Length - 1024 - 1024 - 300000)]);
        e.EntryName.ShouldBe("Ref:1/00000002");
        e.Message.ShouldContain("truncated");
        e.Message.ShouldContain($"offset {e.Offset}");
    }

    [Fact]
    public async Task TruncatedBeforeLastChunk_SaysHowMuchOfTheDiskArrived()
    {
        var entries = Entries();
        var e = await ReadFailsAsync(await TarAsync(entries.Take(5), end: true));
        e.Message.ShouldContain("disk Ref:1 has 2097152 of 3145728 bytes");
    }

    [Fact]
    public async Task TruncatedWithoutEndMarker_Throws()
    {
        var e = await ReadFailsAsync(await TarAsync(Entries(), end: false));
        e.Message.ShouldContain("end-of-archive");
    }

    [Fact]
    public async Task FirstEntryNotOvaXml_Throws()
    {
        var entries = Entries();
        entries[0] = ("other.xml", entries[0].Data);
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("first XVA entry is 'other.xml' at offset 0");
    }

    [Fact]
    public async Task ChunkBeyondVirtualSize_Throws()
    {
        var entries = Entries(3L * Mi);
        entries[0] = ("ova.xml", XvaTestData.Metadata([("Ref:1", (3L * Mi) - 10)]).ToUtf8());
        var e = await ReadFailsAsync(await TarAsync(entries));
        e.Message.ShouldContain("beyond disk Ref:1's virtual_size");
        e.EntryName.ShouldBe("Ref:1/00000002");
    }

    [Fact]
    public async Task DamagedTarHeader_IsReportedAsXvaDamage()
    {
        var xva = await TarAsync(Entries());
        var ovaBlocks = 512 + ((Entries()[0].Data.Length + 511) / 512 * 512);
        xva[ovaBlocks + 2] ^= 0x20;
        var e = await ReadFailsAsync(xva);
        e.Message.ShouldContain("checksum mismatch");
        e.Offset.ShouldBe(ovaBlocks);
        e.InnerException.ShouldBeOfType<TarFormatException>();
    }

    [Theory]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task TruncatedCompressedStream_Throws(CompressionKind kind)
    {
        var plain = await TarAsync(Entries());
        var compressed = new MemoryStream();
        await using (var w = CompressionStreams.OpenWrite(compressed, kind, leaveOpen: true))
        {
            await w.WriteAsync(plain);
        }

        var bytes = compressed.ToArray();
        var e = await ReadFailsAsync(bytes[..(bytes.Length * 2 / 3)]);
        e.Message.ShouldContain("offset");
        e.Offset.ShouldBeGreaterThan(0);
    }
}
