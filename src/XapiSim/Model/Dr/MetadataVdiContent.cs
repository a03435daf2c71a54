using System.Buffers.Binary;
using System.Text;
using XapiSim.Storage;

namespace XapiSim.Model.Dr;

/// <summary>
/// The content of a "Metadata for DR" VDI as the simulator lays it out (xapi writes a redo log; the simulator
/// writes the whole database each time): the 8-byte magic <c>XSIMDRDB</c>, the dump's length as a little-endian
/// 64-bit integer, then the <c>/pool/xmldbdump</c> XML.
/// </summary>
internal static class MetadataVdiContent
{
    /// <summary>xapi's size for a metadata VDI: 4 000 000 000 bytes rounded up to 4 MiB, minus 8 MiB.</summary>
    public const long VirtualSize = ((4_000_000_000L + (4L << 20) - 1) / (4L << 20) * (4L << 20)) - (8L << 20);

    private const int HeaderSize = 16;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("XSIMDRDB");

    public static void Write(IDiskStore disks, string diskId, byte[] dump)
    {
        if (HeaderSize + dump.LongLength > disks.GetVirtualSize(diskId))
        {
            throw new InvalidOperationException("The database does not fit in the metadata VDI");
        }

        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), dump.LongLength);

        // Body first, header last: a reader never sees a header announcing a body not yet written.
        disks.Write(diskId, HeaderSize, dump);
        disks.Write(diskId, 0, header);
    }

    /// <summary>The dump stored on the disk, or null if the disk holds none.</summary>
    public static byte[]? TryRead(IDiskStore disks, string diskId)
    {
        var header = new byte[HeaderSize];
        if (disks.Read(diskId, 0, header) < HeaderSize || !header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        if (length <= 0 || length > disks.GetVirtualSize(diskId) - HeaderSize || length > int.MaxValue)
        {
            return null;
        }

        var body = new byte[length];
        var read = 0;
        while (read < body.Length)
        {
            var n = disks.Read(diskId, HeaderSize + read, body.AsSpan(read));
            if (n <= 0)
            {
                return null;
            }

            read += n;
        }

        return body;
    }
}
