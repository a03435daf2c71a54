using System.Globalization;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Vhd;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Metadata;

namespace VmBackup.Core.Tests.Verify;

/// <summary>
/// A NAUbackup backup_dir in a temp folder, filled without the backup engine: XVAs from <see cref="XvaWriter"/>, VHDs
/// from <see cref="VhdWriter"/>, raw images, cfg files and markers from the Repository writers.
/// </summary>
internal sealed class TestBackupDir : IDisposable
{
    public const long MiB = 1024 * 1024;

    public TestBackupDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vmbackup-verify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Root = new NauBackupRoot(Path);
    }

    public string Path { get; }

    public NauBackupRoot Root { get; }

    public static DateTimeOffset Time(int day, int hour = 2) => new(2025, 3, day, hour, 10, 44, TimeSpan.Zero);

    /// <summary>A vm-export backup with one disk per size (DISK-xvda, DISK-xvdb, ...).</summary>
    public async Task<NauBackupFolder> AddXvaAsync(string vm, DateTimeOffset time, long[] diskSizes, CompressionKind compression = CompressionKind.None, ChunkChecksumKind checksum = ChunkChecksumKind.Xxhash, bool marker = true)
    {
        var folder = Root.VmFolder(vm).CreateBackupFolder(time);
        var ids = diskSizes.Select((_, i) => $"Ref:{10 + i}").ToArray();
        var metadata = Metadata(vm, ids.Zip(diskSizes).ToArray());
        var disks = ids.Select((id, i) => new XvaDisk(id, new StreamDiskSource(new MemoryStream(Content(diskSizes[i], seed: i + 1))))).ToList();
        var kind = compression switch
        {
            CompressionKind.Gzip => NauDataFileKind.XvaGzip,
            CompressionKind.Zstd => NauDataFileKind.XvaZstd,
            _ => NauDataFileKind.Xva,
        };
        var output = await folder.OpenDataFileForWriteAsync(kind, CancellationToken.None);
        await using (output)
        {
            await XvaWriter.WriteAsync(output, metadata, disks, new XvaWriterOptions { Compression = compression, Checksum = checksum }, CancellationToken.None);
            await output.CommitAsync(CancellationToken.None);
        }

        for (var i = 0; i < diskSizes.Length; i++)
        {
            await WriteDiskCfgAsync(folder, "xvd" + (char)('a' + i), diskSizes[i]);
        }

        await FinishAsync(folder, metadata, marker);
        return folder;
    }

    /// <summary>A vdi-export backup (raw) of xvda; <paramref name="cfgSize"/> is what vdi.cfg says (default: the image size).</summary>
    public async Task<NauBackupFolder> AddRawAsync(string vm, DateTimeOffset time, long size, long? cfgSize = null)
    {
        var folder = Root.VmFolder(vm).CreateBackupFolder(time);
        await File.WriteAllBytesAsync(folder.DataFilePath(NauDataFileKind.Raw), Content(size, seed: 7));
        await WriteDiskCfgAsync(folder, "xvda", cfgSize ?? size);
        await FinishAsync(folder, Metadata(vm, []), marker: true);
        return folder;
    }

    /// <summary>A vdi-export backup (dynamic VHD) of xvda.</summary>
    public async Task<NauBackupFolder> AddVhdAsync(string vm, DateTimeOffset time, long size)
    {
        var folder = Root.VmFolder(vm).CreateBackupFolder(time);
        var output = await folder.OpenDataFileForWriteAsync(NauDataFileKind.Vhd, CancellationToken.None);
        await using (output)
        {
            await VhdWriter.WriteDynamicAsync(output, new StreamDiskSource(new MemoryStream(Content(size, seed: 9))), null, null, CancellationToken.None);
            await output.CommitAsync(CancellationToken.None);
        }

        await WriteDiskCfgAsync(folder, "xvda", size);
        await FinishAsync(folder, Metadata(vm, []), marker: true);
        return folder;
    }

    /// <summary>Pseudo-random content with a zero hole in the middle (so sparse handling is exercised).</summary>
    public static byte[] Content(long size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        if (size >= 4 * MiB)
        {
            data.AsSpan((int)MiB, (int)MiB).Clear();
        }

        return data;
    }

    public static OvaXml Metadata(string vm, (string Id, long Size)[] disks)
    {
        var objects = new List<OvaObject>();
        var vbdIds = disks.Select((_, i) => $"Ref:{100 + i}").ToList();
        objects.Add(new OvaObject("VM", "Ref:0", XmlRpcValue.FromStruct(
            ("name_label", XmlRpcValue.FromString(vm)),
            ("is_a_snapshot", XmlRpcValue.FromBoolean(false)),
            ("VBDs", XmlRpcValue.FromArray([.. vbdIds.Append("Ref:199").Select(XmlRpcValue.FromString)])))));
        for (var i = 0; i < disks.Length; i++)
        {
            objects.Add(new OvaObject("VBD", vbdIds[i], XmlRpcValue.FromStruct(
                ("VM", XmlRpcValue.FromString("Ref:0")),
                ("VDI", XmlRpcValue.FromString(disks[i].Id)),
                ("userdevice", XmlRpcValue.FromString(i.ToString(CultureInfo.InvariantCulture))),
                ("type", XmlRpcValue.FromString("Disk")))));
        }

        // An empty CD drive, as XAPI exports it: its VDI is not in the archive.
        objects.Add(new OvaObject("VBD", "Ref:199", XmlRpcValue.FromStruct(
            ("VM", XmlRpcValue.FromString("Ref:0")),
            ("VDI", XmlRpcValue.FromString("OpaqueRef:NULL")),
            ("type", XmlRpcValue.FromString("CD")))));
        foreach (var (id, size) in disks)
        {
            objects.Add(new OvaObject("VDI", id, XmlRpcValue.FromStruct(
                ("name_label", XmlRpcValue.FromString("disk " + id)),
                ("virtual_size", XmlRpcValue.FromInt64(size)))));
        }

        return new OvaXml(new OvaVersion("host", "2025-03-01", "8.3.0", "XCP-ng", "release", 24, 19, 2), objects);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task WriteDiskCfgAsync(NauBackupFolder folder, string device, long size) =>
        folder.WriteDiskInfoAsync(
            "DISK-" + device,
            new NauVbdRecord(device == "xvda" ? "0" : "1", device == "xvda", "RW", "Disk", false, false, Guid.NewGuid().ToString()),
            new NauVdiRecord("disk " + device, string.Empty, size, "user", false, false, Guid.NewGuid().ToString(), Guid.NewGuid().ToString()),
            CancellationToken.None);

    private static async Task FinishAsync(NauBackupFolder folder, OvaXml metadata, bool marker)
    {
        await folder.WriteVmMetadataXmlAsync(new MemoryStream(metadata.ToUtf8()), CancellationToken.None);
        await folder.WriteVifInfoAsync(new NauVifRecord("0", "Pool-wide network", 1500, "aa:bb:cc:dd:ee:ff", [], Guid.NewGuid().ToString()), CancellationToken.None);
        if (marker)
        {
            await folder.WriteSuccessMarkerAsync(NauSuccessMarker.Success, CancellationToken.None);
        }
    }
}
