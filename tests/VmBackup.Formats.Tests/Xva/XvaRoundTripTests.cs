using System.Security.Cryptography;
using System.Text;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests.Xva;

public class XvaRoundTripTests
{
    public static TheoryData<int, CompressionKind, ChunkChecksumKind> Cases()
    {
        var data = new TheoryData<int, CompressionKind, ChunkChecksumKind>();
        var seed = 0;
        foreach (var compression in Enum.GetValues<CompressionKind>())
        {
            foreach (var checksum in Enum.GetValues<ChunkChecksumKind>())
            {
                for (var i = 0; i < 4; i++)
                {
                    data.Add(++seed, compression, checksum);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RandomSparseDisks_RoundTrip(int seed, CompressionKind compression, ChunkChecksumKind checksum)
    {
        var rng = new Random(seed);
        var disks = Enumerable.Range(0, rng.Next(1, 4))
            .Select(i => ($"Ref:{rng.Next(1, 30)}{i}", SparseDisk.Random(seed * 10 + i, maxMiB: 10, alignTo: rng.Next(2) == 0 ? 1 : 512)))
            .ToList();
        var xva = await XvaTestData.WriteAsync(disks, new XvaWriterOptions { Compression = compression, Checksum = checksum });
        CompressionDetector.Detect(xva).ShouldBe(compression);

        var (result, handler) = await XvaTestData.ReadAsync(xva);

        result.Compression.ShouldBe(compression);
        result.Disks.Select(d => d.Disk.Id).ShouldBe(disks.Select(d => d.Item1).Order(StringComparer.Ordinal));
        foreach (var (id, disk) in disks)
        {
            ByteAssert.Equal(disk.Data, handler.Disks[id].Data, $"disk {id} seed {seed}");
            var lastChunk = (disk.Size - 1) / RawExtents.XvaChunkSize;
            var allowed = RawExtents.ToXvaChunks(disk.Allocated, disk.Size).ToHashSet();
            foreach (var read in disk.ReadRanges)
            {
                allowed.ShouldContain(read.Offset / RawExtents.XvaChunkSize, "the writer read a chunk the source said was zero");
            }

            var nonZeroChunks = Enumerable.Range(0, (int)lastChunk + 1)
                .Count(c => c == 0 || c == lastChunk || disk.Data.AsSpan(c * RawExtents.XvaChunkSize, (int)Math.Min(RawExtents.XvaChunkSize, disk.Size - ((long)c * RawExtents.XvaChunkSize))).ContainsAnyExcept((byte)0));
            result.Disks.Single(d => d.Disk.Id == id).ChunkEntries.ShouldBe(nonZeroChunks, "all-zero chunks are skipped, first and last always written");
        }

        handler.Events[0].ShouldBe("metadata");
        handler.Metadata!.Vdis.Select(v => (v.Id, v.GetInt64("virtual_size"))).OrderBy(v => v.Id, StringComparer.Ordinal)
            .ShouldBe(disks.Select(d => (d.Item1, d.Item2.Size)).OrderBy(v => v.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Xva_IsListedInXapiOrderByTar_AndEveryXxhashMatchesXxhsum()
    {
        var disks = new List<(string, SparseDisk)>
        {
            ("Ref:9", SparseDisk.Random(101, maxMiB: 6)),
            ("Ref:10", SparseDisk.Random(102, maxMiB: 6)),
            ("Ref:100", SparseDisk.FromBytes(new byte[1000])),
        };
        var xva = await XvaTestData.WriteAsync(disks, new XvaWriterOptions { OvaXmlModificationTime = 1700000000 });
        using var dir = new TempDirectory();
        var file = dir.File("vm.xva");
        await File.WriteAllBytesAsync(file, xva);

        var names = ExternalTool.Run("tar", "-tvf", file).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToList();
        names[0].ShouldBe("ova.xml");
        var expected = new List<string> { "ova.xml" };
        foreach (var (id, disk) in disks.OrderBy(d => d.Item1, StringComparer.Ordinal))
        {
            var last = (disk.Size - 1) / RawExtents.XvaChunkSize;
            for (var c = 0L; c <= last; c++)
            {
                var offset = c * RawExtents.XvaChunkSize;
                var span = disk.Data.AsSpan((int)offset, (int)Math.Min(RawExtents.XvaChunkSize, disk.Size - offset));
                if (c == 0 || c == last || span.ContainsAnyExcept((byte)0))
                {
                    expected.Add($"{id}/{c:D8}");
                    expected.Add($"{id}/{c:D8}.xxhash");
                }
            }
        }

        names.ShouldBe(expected);
        names.IndexOf("Ref:10/00000000").ShouldBeLessThan(names.IndexOf("Ref:9/00000000"));

        var extract = dir.File("x");
        Directory.CreateDirectory(extract);
        ExternalTool.Run("tar", "-xf", file, "-C", extract);
        var chunkFiles = names.Where(n => n.StartsWith("Ref:", StringComparison.Ordinal) && !n.EndsWith(".xxhash", StringComparison.Ordinal)).Select(n => Path.Combine(extract, n)).ToList();
        var sums = ExternalTool.Run("xxhsum", ["-H64", .. chunkFiles]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        sums.Length.ShouldBe(chunkFiles.Count);
        foreach (var line in sums)
        {
            var parts = line.Split("  ", 2);
            var stored = await File.ReadAllTextAsync(parts[1] + ".xxhash");
            stored.ShouldBe(parts[0].ToUpperInvariant(), $"xxhash entry of {parts[1]}");
            stored.Length.ShouldBe(16);
        }

        var size = new FileInfo(Path.Combine(extract, "Ref:100", "00000000")).Length;
        size.ShouldBe(1000);
    }

    [Fact]
    public async Task LegacyChecksumEntries_AreLowerCaseSha1OfTheChunk()
    {
        var disk = SparseDisk.Random(7, maxMiB: 4);
        var xva = await XvaTestData.WriteAsync([("Ref:3", disk)], new XvaWriterOptions { Checksum = ChunkChecksumKind.Sha1 });
        using var dir = new TempDirectory();
        var file = dir.File("vm.xva");
        await File.WriteAllBytesAsync(file, xva);
        ExternalTool.Run("tar", "-xf", file, "-C", dir.Path);
        var chunk = await File.ReadAllBytesAsync(Path.Combine(dir.Path, "Ref:3", "00000000"));
        var stored = await File.ReadAllTextAsync(Path.Combine(dir.Path, "Ref:3", "00000000.checksum"));
        stored.ShouldBe(Convert.ToHexStringLower(SHA1.HashData(chunk)));
    }

    [Fact]
    public async Task Reader_FollowsXapiImport_KeepAliveAndSuffixGaps()
    {
        // Disk of 5 MiB + 100: chunk 0 (A), keep-alive counter 1, counter 2 (B) lands at 1 MiB because the
        // keep-alive did not move the offset, counter 5 (C) skips 2 chunks of the FIRST chunk's size → 4 MiB.
        const int Mi = 1024 * 1024;
        var size = (5L * Mi) + 100;
        var rng = new Random(5);
        byte[] a = new byte[Mi], b = new byte[Mi];
        rng.NextBytes(a);
        rng.NextBytes(b);
        var c = new byte[size - (4L * Mi)];
        rng.NextBytes(c);
        var ms = new MemoryStream();
        var tar = new VmBackup.Formats.Tar.TarWriter(ms);
        await tar.WriteEntryAsync("ova.xml", XvaTestData.Metadata([("Ref:1", size)]).ToUtf8(), 0, CancellationToken.None);
        async Task Chunk(string name, byte[] data)
        {
            await tar.WriteEntryAsync(name, data, 0, CancellationToken.None);
            await tar.WriteEntryAsync(name + ".xxhash", Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash(data))), 0, CancellationToken.None);
        }

        await Chunk("Ref:1/00000000", a);
        await Chunk("Ref:1/00000001", []);
        await Chunk("Ref:1/00000002", b);
        await Chunk("Ref:1/00000005", c);
        await tar.WriteEndAsync(CancellationToken.None);

        var (result, handler) = await XvaTestData.ReadAsync(ms.ToArray());
        var expected = new byte[size];
        a.CopyTo(expected, 0);
        b.CopyTo(expected, Mi);
        c.CopyTo(expected, 4 * Mi);
        ByteAssert.Equal(expected, handler.Disks["Ref:1"].Data, "keep-alive disk");
        result.Disks.Single().ChunkEntries.ShouldBe(4);
        handler.Disks["Ref:1"].Writes.ShouldBe([new DiskExtent(0, Mi), new DiskExtent(Mi, Mi), new DiskExtent(4 * Mi, c.Length)]);
    }
}
