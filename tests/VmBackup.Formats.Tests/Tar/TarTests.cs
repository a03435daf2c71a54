using System.Text;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Tests.Support;

namespace VmBackup.Formats.Tests.Tar;

public class TarTests
{
    private static async Task<byte[]> WriteArchiveAsync(params (string Name, byte[] Data, long Mtime)[] entries)
    {
        var ms = new MemoryStream();
        var writer = new TarWriter(ms);
        foreach (var (name, data, mtime) in entries)
        {
            await writer.WriteEntryAsync(name, data, mtime, CancellationToken.None);
        }

        await writer.WriteEndAsync(CancellationToken.None);
        writer.Position.ShouldBe(ms.Length);
        return ms.ToArray();
    }

    private static async Task<List<(TarEntryHeader Header, byte[] Data)>> ReadAllAsync(byte[] archive)
    {
        var reader = new TarReader(new NonSeekableStream(new MemoryStream(archive)));
        var result = new List<(TarEntryHeader, byte[])>();
        while (await reader.ReadNextEntryAsync(CancellationToken.None) is { } header)
        {
            var data = new byte[header.Size];
            await reader.ReadDataExactlyAsync(data, CancellationToken.None);
            result.Add((header, data));
        }

        return result;
    }

    [Fact]
    public async Task Writer_ProducesOcamlTarV7HeadersExactly()
    {
        var archive = await WriteArchiveAsync(("ova.xml", "hello"u8.ToArray(), 1700000000), ("Ref:1/00000000", new byte[600], 0));
        archive.Length.ShouldBe(512 + 512 + 512 + 1024 + 1024); // header+data, header+2 data blocks, two zero blocks
        var h = archive.AsSpan(0, 512);
        Encoding.ASCII.GetString(h[..7]).ShouldBe("ova.xml");
        h[7].ShouldBe((byte)0);
        Encoding.ASCII.GetString(h.Slice(100, 8)).ShouldBe("0000400\0");
        Encoding.ASCII.GetString(h.Slice(108, 8)).ShouldBe("0000000\0");
        Encoding.ASCII.GetString(h.Slice(116, 8)).ShouldBe("0000000\0");
        Encoding.ASCII.GetString(h.Slice(124, 12)).ShouldBe("00000000005\0");
        Encoding.ASCII.GetString(h.Slice(136, 12)).ShouldBe(Convert.ToString(1700000000L, 8).PadLeft(11, '0') + "\0");
        h[156].ShouldBe((byte)0);
        h[257..512].ToArray().ShouldAllBe(b => b == 0); // V7: no ustar magic
        var sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : h[i];
        }

        Encoding.ASCII.GetString(h.Slice(148, 8)).ShouldBe(Convert.ToString(sum, 8).PadLeft(7, '0') + "\0");
        Encoding.ASCII.GetString(archive.AsSpan(1024 + 136, 12)).ShouldBe("00000000000\0"); // chunks have mtime 0
        archive.AsSpan(archive.Length - 1024).ToArray().ShouldAllBe(b => b == 0);
    }

    [Fact]
    public async Task Writer_OutputIsListedByGnuTar()
    {
        var archive = await WriteArchiveAsync(("ova.xml", "x"u8.ToArray(), 0), ("Ref:1/00000000", new byte[1024 * 1024], 0), ("Ref:1/00000000.xxhash", "0123456789ABCDEF"u8.ToArray(), 0));
        using var dir = new TempDirectory();
        var file = dir.File("a.tar");
        await File.WriteAllBytesAsync(file, archive);
        var lines = ExternalTool.Run("tar", "-tvf", file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ShouldBe(["ova.xml", "Ref:1/00000000", "Ref:1/00000000.xxhash"]);
        lines[1].ShouldStartWith("-r--------");
        lines[1].ShouldContain("1048576");
    }

    [Fact]
    public async Task Reader_ReadsGnuTarWithLongNamesAndUstarPrefixes()
    {
        using var dir = new TempDirectory();
        var longName = string.Concat(Enumerable.Repeat("long-directory-name/", 8)) + "file.bin";
        var root = dir.File("root");
        Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName(longName)!));
        var rng = new Random(3);
        var content = new byte[70001];
        rng.NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(root, longName), content);
        await File.WriteAllBytesAsync(Path.Combine(root, "small"), "tiny"u8.ToArray());

        foreach (var format in new[] { "gnu", "ustar", "pax" })
        {
            var file = dir.File(format + ".tar");
            ExternalTool.Run("tar", "--format=" + format, "-C", root, "-cf", file, "small", longName);
            var entries = await ReadAllAsync(await File.ReadAllBytesAsync(file));
            var files = entries.Where(e => e.Header.IsRegularFile).ToList();
            files.Select(e => e.Header.Name).ShouldBe(["small", longName], format);
            files[1].Data.ShouldBe(content, format);
            files[0].Data.ShouldBe("tiny"u8.ToArray(), format);
        }
    }

    [Fact]
    public async Task Reader_AcceptsBase256Size()
    {
        var archive = await WriteArchiveAsync(("big", "12345"u8.ToArray(), 0));
        var header = archive.AsSpan(0, 512);
        header.Slice(124, 12).Clear();
        header[124] = 0x80;
        header[135] = 5;
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
        var entries = await ReadAllAsync(archive);
        entries.Single().Data.ShouldBe("12345"u8.ToArray());
    }

    [Fact]
    public async Task Reader_BadHeaderChecksum_NamesEntryAndOffset()
    {
        var archive = await WriteArchiveAsync(("first", new byte[10], 0), ("second", new byte[10], 0));
        archive[1024 + 3] ^= 0x01; // corrupt the name of the second header
        var e = await Should.ThrowAsync<TarFormatException>(() => ReadAllAsync(archive));
        e.Message.ShouldContain("checksum mismatch");
        e.Message.ShouldContain("offset 1024");
        e.Offset.ShouldBe(1024);
    }

    [Fact]
    public async Task Reader_TruncatedData_NamesEntryAndOffset()
    {
        var archive = await WriteArchiveAsync(("first", new byte[10], 0), ("second", new byte[5000], 0));
        var e = await Should.ThrowAsync<TarFormatException>(() => ReadAllAsync(archive[..(1024 + 512 + 3000)]));
        e.EntryName.ShouldBe("second");
        e.Message.ShouldContain("'second' truncated at offset 4536");
    }

    [Fact]
    public async Task Reader_TruncatedHeader_NamesOffset()
    {
        var archive = await WriteArchiveAsync(("first", new byte[10], 0), ("second", new byte[10], 0));
        var e = await Should.ThrowAsync<TarFormatException>(() => ReadAllAsync(archive[..(1024 + 100)]));
        e.Message.ShouldContain("inside the header at offset 1024");
    }

    [Fact]
    public async Task Reader_MissingEndOfArchive_Throws()
    {
        var archive = await WriteArchiveAsync(("first", new byte[10], 0));
        var e = await Should.ThrowAsync<TarFormatException>(() => ReadAllAsync(archive[..1024]));
        e.Message.ShouldContain("without the end-of-archive marker");
        e.Message.ShouldContain("offset 1024");
    }
}
