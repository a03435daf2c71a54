using System.Buffers.Binary;
using System.Text;

namespace VmBackup.Formats.Vhd;

/// <summary>The 512-byte VHD footer (§5.1). All fields big-endian; the unique id is an RFC 4122 UUID in network order.</summary>
public sealed record VhdFooter
{
    /// <summary>Size of the footer structure.</summary>
    public const int Size = 512;

    /// <summary>Value of <see cref="DataOffset"/> for fixed disks.</summary>
    public const ulong NoDataOffset = ulong.MaxValue;

    private static readonly byte[] Cookie = "conectix"u8.ToArray();

    /// <summary>Features (bit 0 temporary; bit 1 reserved, always set). <value>The default is 2.</value></summary>
    public uint Features { get; init; } = 2;

    /// <summary>Format version. <value>The default is 0x00010000.</value></summary>
    public uint FileFormatVersion { get; init; } = 0x00010000;

    /// <summary>Offset of the dynamic header (512 in XAPI's layout); <see cref="NoDataOffset"/> for fixed disks.</summary>
    public ulong DataOffset { get; init; } = 512;

    /// <summary>Seconds since 2000-01-01 UTC (XAPI writes 0).</summary>
    public uint Timestamp { get; init; }

    /// <summary>Four-character creator application (<c>caml</c> for ocaml-vhd/XAPI, <c>tap\0</c> for blktap, <c>qem2</c> for qemu).</summary>
    public string CreatorApplication { get; init; } = "caml";

    /// <summary>Creator version. <value>The default is 1.</value></summary>
    public uint CreatorVersion { get; init; } = 1;

    /// <summary>Creator host OS (ocaml-vhd writes 0).</summary>
    public uint CreatorHostOs { get; init; }

    /// <summary>Original size in bytes.</summary>
    public ulong OriginalSize { get; init; }

    /// <summary>Current (virtual) size in bytes.</summary>
    public ulong CurrentSize { get; init; }

    /// <summary>CHS geometry.</summary>
    public VhdGeometry Geometry { get; init; }

    /// <summary>Disk type.</summary>
    public VhdDiskType DiskType { get; init; }

    /// <summary>Checksum as stored (set by <see cref="Parse"/>; <see cref="WriteTo"/> computes it).</summary>
    public uint Checksum { get; init; }

    /// <summary>Unique id.</summary>
    public Guid UniqueId { get; init; }

    /// <summary>Saved-state flag.</summary>
    public bool SavedState { get; init; }

    /// <summary>A footer the way XAPI writes it for a disk of <paramref name="size"/> bytes.</summary>
    public static VhdFooter Create(VhdDiskType type, long size, Guid uniqueId, uint timestamp = 0, string creatorApplication = "caml") => new()
    {
        DataOffset = type == VhdDiskType.Fixed ? NoDataOffset : 512,
        Timestamp = timestamp,
        CreatorApplication = creatorApplication,
        OriginalSize = (ulong)size,
        CurrentSize = (ulong)size,
        Geometry = VhdGeometry.FromSize(size),
        DiskType = type,
        UniqueId = uniqueId,
    };

    /// <summary>Parses and validates a footer.</summary>
    /// <param name="data">512 bytes.</param>
    /// <param name="fileOffset">Where the footer was read (for messages).</param>
    /// <exception cref="VhdFormatException">Wrong cookie, bad checksum or unknown disk type.</exception>
    public static VhdFooter Parse(ReadOnlySpan<byte> data, long fileOffset)
    {
        if (data.Length < Size)
        {
            throw new VhdFormatException($"VHD footer at offset {fileOffset} is truncated ({data.Length} of 512 bytes)", "footer", fileOffset);
        }

        data = data[..Size];
        if (!data[..8].SequenceEqual(Cookie))
        {
            throw new VhdFormatException(
                $"VHD footer at offset {fileOffset} has cookie '{Printable(data[..8])}', expected 'conectix'",
                "footer.cookie",
                fileOffset);
        }

        var stored = BinaryPrimitives.ReadUInt32BigEndian(data[64..]);
        var computed = VhdChecksum.Compute(data, 64);
        if (stored != computed)
        {
            throw new VhdFormatException(
                $"VHD footer checksum mismatch at offset {fileOffset + 64}: stored 0x{stored:X8}, computed 0x{computed:X8}",
                "footer.checksum",
                fileOffset + 64);
        }

        var type = BinaryPrimitives.ReadUInt32BigEndian(data[60..]);
        if (type is not (2 or 3 or 4))
        {
            throw new VhdFormatException($"VHD footer at offset {fileOffset} has unsupported disk type {type} (field at offset {fileOffset + 60})", "footer.disk_type", fileOffset + 60);
        }

        return new VhdFooter
        {
            Features = BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            FileFormatVersion = BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            DataOffset = BinaryPrimitives.ReadUInt64BigEndian(data[16..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(data[24..]),
            CreatorApplication = Encoding.ASCII.GetString(data.Slice(28, 4)),
            CreatorVersion = BinaryPrimitives.ReadUInt32BigEndian(data[32..]),
            CreatorHostOs = BinaryPrimitives.ReadUInt32BigEndian(data[36..]),
            OriginalSize = BinaryPrimitives.ReadUInt64BigEndian(data[40..]),
            CurrentSize = BinaryPrimitives.ReadUInt64BigEndian(data[48..]),
            Geometry = new VhdGeometry(BinaryPrimitives.ReadUInt16BigEndian(data[56..]), data[58], data[59]),
            DiskType = (VhdDiskType)type,
            Checksum = stored,
            UniqueId = new Guid(data.Slice(68, 16), bigEndian: true),
            SavedState = data[84] != 0,
        };
    }

    /// <summary>Serialises into <paramref name="destination"/> (512 bytes), computing the checksum.</summary>
    public void WriteTo(Span<byte> destination)
    {
        var d = destination[..Size];
        d.Clear();
        Cookie.CopyTo(d);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], Features);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], FileFormatVersion);
        BinaryPrimitives.WriteUInt64BigEndian(d[16..], DataOffset);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], Timestamp);
        var app = Encoding.ASCII.GetBytes(CreatorApplication.PadRight(4, '\0'));
        if (app.Length != 4)
        {
            throw new InvalidOperationException($"creator application '{CreatorApplication}' must be 4 ASCII characters");
        }

        app.CopyTo(d[28..]);
        BinaryPrimitives.WriteUInt32BigEndian(d[32..], CreatorVersion);
        BinaryPrimitives.WriteUInt32BigEndian(d[36..], CreatorHostOs);
        BinaryPrimitives.WriteUInt64BigEndian(d[40..], OriginalSize);
        BinaryPrimitives.WriteUInt64BigEndian(d[48..], CurrentSize);
        BinaryPrimitives.WriteUInt16BigEndian(d[56..], Geometry.Cylinders);
        d[58] = Geometry.Heads;
        d[59] = Geometry.SectorsPerTrack;
        BinaryPrimitives.WriteUInt32BigEndian(d[60..], (uint)DiskType);
        UniqueId.TryWriteBytes(d.Slice(68, 16), bigEndian: true, out _);
        d[84] = SavedState ? (byte)1 : (byte)0;
        VhdChecksum.Store(d, 64);
    }

    /// <summary>The 512 serialised bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return sb.ToString();
    }
}
