namespace VmBackup.Formats.Vhd;

/// <summary>CHS geometry of a VHD footer, computed with the VHD specification's algorithm (§5.1).</summary>
public readonly record struct VhdGeometry(ushort Cylinders, byte Heads, byte SectorsPerTrack)
{
    /// <summary>The geometry XAPI (ocaml-vhd) and the specification compute for a disk of <paramref name="sizeBytes"/>.</summary>
    public static VhdGeometry FromSize(long sizeBytes)
    {
        var totalSectors = Math.Min(sizeBytes / 512, 65535L * 16 * 255);
        long spt;
        long heads;
        long cth;
        if (totalSectors > 65535L * 16 * 63)
        {
            spt = 255;
            heads = 16;
            cth = totalSectors / spt;
        }
        else
        {
            spt = 17;
            cth = totalSectors / spt;
            heads = Math.Max((cth + 1023) / 1024, 4);
            if (cth >= heads * 1024 || heads > 16)
            {
                spt = 31;
                heads = 16;
                cth = totalSectors / spt;
            }

            if (cth >= heads * 1024)
            {
                spt = 63;
                heads = 16;
                cth = totalSectors / spt;
            }
        }

        return new VhdGeometry((ushort)(cth / heads), (byte)heads, (byte)spt);
    }

    /// <summary>Bytes addressed by this geometry (cylinders × heads × sectors × 512).</summary>
    public long ChsSizeBytes => (long)Cylinders * Heads * SectorsPerTrack * 512;
}
