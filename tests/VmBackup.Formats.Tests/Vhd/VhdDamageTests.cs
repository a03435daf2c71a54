using System.Buffers.Binary;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Vhd;

namespace VmBackup.Formats.Tests.Vhd;

public class VhdDamageTests
{
    private const int BlockBytes = 512 + (2 * 1024 * 1024);

    /// <summary>A 7 MiB dynamic VHD with blocks 0, 1 and 3: BAT at 2048 (512 bytes), blocks from 2560.</summary>
    private static async Task<byte[]> ValidAsync()
    {
        var data = new byte[7 * 1024 * 1024];
        new Random(9).NextBytes(data);
        return await VhdTestFiles.DynamicAsync(SparseDisk.FromBytes(data), [0, 1, 3]);
    }

    private static async Task<VhdFormatException> SeekableFailsAsync(byte[] vhd) =>
        await Should.ThrowAsync<VhdFormatException>(async () => await VhdTestFiles.ReadAsync(vhd));

    private static async Task<VhdFormatException> StreamFailsAsync(byte[] vhd) =>
        await Should.ThrowAsync<VhdFormatException>(async () => await VhdTestFiles.StreamReadAsync(vhd));

    private static void FixHeaderChecksum(byte[] vhd)
    {
        var header = vhd.AsSpan(512, 1024);
        BinaryPrimitives.WriteUInt32BigEndian(header[36..], VhdChecksum.Compute(header, 36));
    }

    private static void SetBat(byte[] vhd, int index, uint sector) => BinaryPrimitives.WriteUInt32BigEndian(vhd.AsSpan(2048 + (index * 4)), sector);

    [Fact]
    public async Task WrongFooterCookie_NamesFieldAndOffset()
    {
        var vhd = await ValidAsync();
        vhd[^512] = (byte)'X';
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("footer.cookie");
        e.Message.ShouldContain($"offset {vhd.Length - 512}");
        e.Message.ShouldContain("Xonectix");
    }

    [Fact]
    public async Task WrongCookieAtStart_StreamReaderNamesOffsetZero()
    {
        var vhd = await ValidAsync();
        vhd[0] = (byte)'X';
        var e = await StreamFailsAsync(vhd);
        e.Field.ShouldBe("footer.cookie");
        e.Offset.ShouldBe(0);
    }

    [Fact]
    public async Task BadFooterChecksum_NamesFieldAndOffset()
    {
        var vhd = await ValidAsync();
        vhd[vhd.Length - 512 + 50] ^= 0x01; // current size
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("footer.checksum");
        e.Offset.ShouldBe(vhd.Length - 512 + 64);
        e.Message.ShouldContain("checksum mismatch");
    }

    [Fact]
    public async Task BadHeaderChecksum_NamesFieldAndOffset()
    {
        var vhd = await ValidAsync();
        vhd[512 + 30] ^= 0x01;
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("header.checksum");
        e.Offset.ShouldBe(512 + 36);
        (await StreamFailsAsync(vhd)).Field.ShouldBe("header.checksum");
    }

    [Fact]
    public async Task WrongHeaderCookie_NamesField()
    {
        var vhd = await ValidAsync();
        vhd[512] = (byte)'z';
        FixHeaderChecksum(vhd);
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("header.cookie");
        e.Message.ShouldContain("offset 512");
    }

    [Fact]
    public async Task BatEntryBeyondFile_NamesEntryAndOffset()
    {
        var vhd = await ValidAsync();
        SetBat(vhd, 1, 0x00F00000);
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("BAT[1]");
        e.Offset.ShouldBe(2048 + 4);
        e.Message.ShouldContain("beyond");
    }

    [Fact]
    public async Task OverlappingBatEntries_NameTheEntry()
    {
        var vhd = await ValidAsync();
        var first = BinaryPrimitives.ReadUInt32BigEndian(vhd.AsSpan(2048));
        SetBat(vhd, 3, first + 8);
        var e = await SeekableFailsAsync(vhd);
        e.Field.ShouldBe("BAT[3]");
        e.Message.ShouldContain("overlapping block 0");
        (await StreamFailsAsync(vhd)).Field.ShouldBe("BAT[3]");
    }

    [Fact]
    public async Task BatEntryOverlappingMetadata_IsRejected()
    {
        var vhd = await ValidAsync();
        SetBat(vhd, 0, 0);
        var e = await SeekableFailsAsync(vhd);
        e.Message.ShouldContain("overlapping the footer copy");
    }

    [Fact]
    public async Task BatEntryForBlockOutsideDisk_IsRejected()
    {
        var data = new byte[5 * 1024 * 1024];
        var vhd = await VhdTestFiles.DynamicAsync(SparseDisk.FromBytes(data), [0]);
        // shrink the virtual size to 1 MiB in both footers: BAT[0] stays valid, but give BAT[2] a block too
        var grown = vhd.Concat(new byte[BlockBytes]).ToArray();
        Array.Copy(vhd, vhd.Length - 512, grown, grown.Length - 512, 512);
        SetBat(grown, 2, (uint)((vhd.Length - 512) / 512));
        var footer = VhdFooter.Parse(vhd.AsSpan(vhd.Length - 512), 0) with { CurrentSize = 1024 * 1024, OriginalSize = 1024 * 1024 };
        footer.WriteTo(grown);
        footer.WriteTo(grown.AsSpan(grown.Length - 512));
        var e = await SeekableFailsAsync(grown);
        e.Field.ShouldBe("BAT[2]");
        e.Message.ShouldContain("only 1 blocks");
    }

    [Fact]
    public async Task TruncatedFile_ReportsTruncatedBlock()
    {
        var vhd = await ValidAsync();
        var cut = vhd[..(vhd.Length - 512 - 1000000)].Concat(vhd[^512..]).ToArray(); // last block shortened, footer kept
        var e = await SeekableFailsAsync(cut);
        e.Field.ShouldBe("block[3]");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task TruncatedStream_ReportsTheBlockAndOffset()
    {
        var vhd = await ValidAsync();
        var e = await StreamFailsAsync(vhd[..(2560 + BlockBytes + 1000)]);
        e.Field.ShouldBe("block[1]");
        e.Offset.ShouldBe(2560 + BlockBytes + 1000);
    }

    [Fact]
    public async Task StreamMissingFooter_IsTruncation()
    {
        var vhd = await ValidAsync();
        var e = await StreamFailsAsync(vhd[..^200]);
        e.Field.ShouldBe("footer");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task FooterMismatchAtEnd_IsRejectedByBothReaders()
    {
        var vhd = await ValidAsync();
        var other = VhdFooter.Parse(vhd.AsSpan(vhd.Length - 512), vhd.Length - 512) with { UniqueId = Guid.NewGuid() };
        other.WriteTo(vhd.AsSpan(vhd.Length - 512));
        var e = await SeekableFailsAsync(vhd);
        e.Message.ShouldContain("footer mismatch");
        var s = await StreamFailsAsync(vhd);
        s.Message.ShouldContain("footer mismatch");
        s.Offset.ShouldBe(vhd.Length - 512);
    }

    [Fact]
    public async Task TooShortFile_IsRejected()
    {
        var e = await SeekableFailsAsync(new byte[100]);
        e.Message.ShouldContain("too short");
    }
}
