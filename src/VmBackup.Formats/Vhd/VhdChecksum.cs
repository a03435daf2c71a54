using System.Buffers.Binary;

namespace VmBackup.Formats.Vhd;

/// <summary>The VHD one's-complement byte-sum checksum used by the footer and the dynamic header.</summary>
public static class VhdChecksum
{
    /// <summary>Sums every byte except the 4 at <paramref name="checksumOffset"/> and returns the bitwise NOT.</summary>
    public static uint Compute(ReadOnlySpan<byte> structure, int checksumOffset)
    {
        uint sum = 0;
        for (var i = 0; i < structure.Length; i++)
        {
            if (i < checksumOffset || i >= checksumOffset + 4)
            {
                sum += structure[i];
            }
        }

        return ~sum;
    }

    internal static void Store(Span<byte> structure, int checksumOffset)
    {
        BinaryPrimitives.WriteUInt32BigEndian(structure[checksumOffset..], Compute(structure, checksumOffset));
    }
}
