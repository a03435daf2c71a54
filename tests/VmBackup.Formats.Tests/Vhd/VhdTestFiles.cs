using VmBackup.Formats.Disks;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Vhd;

namespace VmBackup.Formats.Tests.Vhd;

internal static class VhdTestFiles
{
    public static async Task<byte[]> DynamicAsync(IDiskSource disk, IReadOnlyList<long>? blocks = null, VhdWriterOptions? options = null)
    {
        var ms = new MemoryStream();
        await VhdWriter.WriteDynamicAsync(ms, disk, blocks, options, CancellationToken.None);
        return ms.ToArray();
    }

    public static async Task<MemoryDiskSink> ReadAsync(byte[] vhd, byte[]? baseDisk = null)
    {
        var reader = await VhdReader.OpenAsync(new MemoryStream(vhd), CancellationToken.None);
        var sink = baseDisk is null ? new MemoryDiskSink(reader.VirtualSize) : new MemoryDiskSink(baseDisk);
        await reader.ReadAsync(sink, CancellationToken.None);
        return sink;
    }

    public static async Task<MemoryDiskSink> StreamReadAsync(byte[] vhd, byte[]? baseDisk = null)
    {
        var ms = new MemoryStream(vhd);
        var footer = VhdFooter.Parse(vhd, 0);
        var sink = baseDisk is null ? new MemoryDiskSink((long)footer.CurrentSize) : new MemoryDiskSink(baseDisk);
        await VhdStreamReader.ReadAsync(new NonSeekableStream(ms), sink, CancellationToken.None);
        return sink;
    }

    /// <summary>A random sparse disk whose size is a CHS-exact multiple (so that qemu, which sizes 'caml' VHDs by geometry, agrees).</summary>
    public static SparseDisk ChsExactDisk(int seed)
    {
        var rng = new Random(seed);
        long size;
        do
        {
            size = (long)rng.Next(1, 40) * 1024 * 1024;
            while (VhdGeometry.FromSize(size).ChsSizeBytes != size)
            {
                size = VhdGeometry.FromSize(size).ChsSizeBytes; // converge on a size whose own geometry covers it exactly
            }
        }
        while (size == 0);

        return SparseDisk.Random(rng, size);
    }
}
