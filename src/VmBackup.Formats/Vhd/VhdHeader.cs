using System.Buffers.Binary;
using System.Text;

namespace VmBackup.Formats.Vhd;

/// <summary>The 1024-byte dynamic disk header (§5.2), used by dynamic and differencing disks.</summary>
public sealed record VhdHeader
{
    /// <summary>Size of the header structure.</summary>
    public const int Size = 1024;

    /// <summary>Block size XAPI uses (2 MiB).</summary>
    public const uint DefaultBlockSize = 2 * 1024 * 1024;

    private static readonly byte[] Cookie = "cxsparse"u8.ToArray();

    /// <summary>Next structure offset; always 0xFFFFFFFFFFFFFFFF.</summary>
    public ulong DataOffset { get; init; } = ulong.MaxValue;

    /// <summary>Absolute byte offset of the BAT (XAPI: 2048).</summary>
    public ulong TableOffset { get; init; } = 2048;

    /// <summary>Header version. <value>The default is 0x00010000.</value></summary>
    public uint HeaderVersion { get; init; } = 0x00010000;

    /// <summary>Number of BAT entries (≥ ceil(size / block size)).</summary>
    public uint MaxTableEntries { get; init; }

    /// <summary>Block size in bytes. <value>The default is 2 MiB.</value></summary>
    public uint BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>Checksum as stored (set by <see cref="Parse"/>; <see cref="WriteTo"/> computes it).</summary>
    public uint Checksum { get; init; }

    /// <summary>Footer unique id of the parent (differencing disks).</summary>
    public Guid ParentUniqueId { get; init; }

    /// <summary>Parent modification time, seconds since 2000-01-01 UTC.</summary>
    public uint ParentTimestamp { get; init; }

    /// <summary>Parent name (UTF-16BE on disk, up to 256 characters).</summary>
    public string ParentUnicodeName { get; init; } = string.Empty;

    /// <summary>The 8 parent locators.</summary>
    public IReadOnlyList<VhdParentLocator> ParentLocators { get; init; } = new VhdParentLocator[8];

    /// <summary>Bytes of one block's sector bitmap, rounded up to whole sectors.</summary>
    public int BitmapSize => (int)((((BlockSize / 512) + 7) / 8 + 511) / 512 * 512);

    /// <summary>Parses and validates a header.</summary>
    /// <exception cref="VhdFormatException">Wrong cookie, bad checksum or invalid block size.</exception>
    public static VhdHeader Parse(ReadOnlySpan<byte> data, long fileOffset)
    {
        if (data.Length < Size)
        {
            throw new VhdFormatException($"VHD dynamic header at offset {fileOffset} is truncated ({data.Length} of 1024 bytes)", "header", fileOffset);
        }

        data = data[..Size];
        if (!data[..8].SequenceEqual(Cookie))
        {
            throw new VhdFormatException(
                $"VHD dynamic header at offset {fileOffset} has cookie '{VhdFooter.Printable(data[..8])}', expected 'cxsparse'",
                "header.cookie",
                fileOffset);
        }

        var stored = BinaryPrimitives.ReadUInt32BigEndian(data[36..]);
        var computed = VhdChecksum.Compute(data, 36);
        if (stored != computed)
        {
            throw new VhdFormatException(
                $"VHD dynamic header checksum mismatch at offset {fileOffset + 36}: stored 0x{stored:X8}, computed 0x{computed:X8}",
                "header.checksum",
                fileOffset + 36);
        }

        var blockSize = BinaryPrimitives.ReadUInt32BigEndian(data[32..]);
        if (blockSize < 512 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new VhdFormatException($"VHD dynamic header at offset {fileOffset} has invalid block size {blockSize} (field at offset {fileOffset + 32})", "header.block_size", fileOffset + 32);
        }

        var locators = new VhdParentLocator[8];
        for (var i = 0; i < 8; i++)
        {
            var l = data.Slice(576 + (24 * i), 24);
            locators[i] = new VhdParentLocator(
                BinaryPrimitives.ReadUInt32BigEndian(l),
                BinaryPrimitives.ReadUInt32BigEndian(l[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(l[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(l[16..]));
        }

        var name = Encoding.BigEndianUnicode.GetString(data.Slice(64, 512));
        var nul = name.IndexOf('\0', StringComparison.Ordinal);
        return new VhdHeader
        {
            DataOffset = BinaryPrimitives.ReadUInt64BigEndian(data[8..]),
            TableOffset = BinaryPrimitives.ReadUInt64BigEndian(data[16..]),
            HeaderVersion = BinaryPrimitives.ReadUInt32BigEndian(data[24..]),
            MaxTableEntries = BinaryPrimitives.ReadUInt32BigEndian(data[28..]),
            BlockSize = blockSize,
            Checksum = stored,
            ParentUniqueId = new Guid(data.Slice(40, 16), bigEndian: true),
            ParentTimestamp = BinaryPrimitives.ReadUInt32BigEndian(data[56..]),
            ParentUnicodeName = nul >= 0 ? name[..nul] : name,
            ParentLocators = locators,
        };
    }

    /// <summary>Serialises into <paramref name="destination"/> (1024 bytes), computing the checksum.</summary>
    public void WriteTo(Span<byte> destination)
    {
        var d = destination[..Size];
        d.Clear();
        Cookie.CopyTo(d);
        BinaryPrimitives.WriteUInt64BigEndian(d[8..], DataOffset);
        BinaryPrimitives.WriteUInt64BigEndian(d[16..], TableOffset);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], HeaderVersion);
        BinaryPrimitives.WriteUInt32BigEndian(d[28..], MaxTableEntries);
        BinaryPrimitives.WriteUInt32BigEndian(d[32..], BlockSize);
        ParentUniqueId.TryWriteBytes(d.Slice(40, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(d[56..], ParentTimestamp);
        var name = Encoding.BigEndianUnicode.GetBytes(ParentUnicodeName);
        if (name.Length > 512)
        {
            throw new InvalidOperationException($"parent name is longer than 256 UTF-16 code units: '{ParentUnicodeName}'");
        }

        name.CopyTo(d[64..]);
        for (var i = 0; i < Math.Min(8, ParentLocators.Count); i++)
        {
            var l = d.Slice(576 + (24 * i), 24);
            var locator = ParentLocators[i];
            BinaryPrimitives.WriteUInt32BigEndian(l, locator.PlatformCode);
            BinaryPrimitives.WriteUInt32BigEndian(l[4..], locator.PlatformDataSpace);
            BinaryPrimitives.WriteUInt32BigEndian(l[8..], locator.PlatformDataLength);
            BinaryPrimitives.WriteUInt64BigEndian(l[16..], locator.PlatformDataOffset);
        }

        VhdChecksum.Store(d, 36);
    }

    /// <summary>The 1024 serialised bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }
}
