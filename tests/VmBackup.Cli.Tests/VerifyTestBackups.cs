using VmBackup.Formats.Disks;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Metadata;

namespace VmBackup.Cli.Tests;

/// <summary>A NAUbackup backup_dir in a temp folder with XVA and raw restore points, written without the backup engine.</summary>
internal sealed class VerifyTestBackups : IDisposable
{
    public const long MiB = 1024 * 1024;

    public VerifyTestBackups()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vmbackup-cli-verify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Root = new NauBackupRoot(Path);
    }

    public string Path { get; }

    public NauBackupRoot Root { get; }

    public static DateTimeOffset Time(int day) => new(2025, 3, day, 2, 10, 44, TimeSpan.Zero);

    public async Task<NauBackupFolder> AddXvaAsync(string vm, int day, long size, bool marker = true)
    {
        var folder = Root.VmFolder(vm).CreateBackupFolder(Time(day));
        var metadata = new OvaXml(new OvaVersion("host", "2025-03-01", "8.3.0", "XCP-ng", "release", 24, 19, 2), [
            new OvaObject("VBD", "Ref:1", XmlRpcValue.FromStruct(("VDI", XmlRpcValue.FromString("Ref:2")), ("type", XmlRpcValue.FromString("Disk")))),
            new OvaObject("VDI", "Ref:2", XmlRpcValue.FromStruct(("virtual_size", XmlRpcValue.FromInt64(size)))),
        ]);
        var output = await folder.OpenDataFileForWriteAsync(NauDataFileKind.Xva, CancellationToken.None);
        await using (output)
        {
            await XvaWriter.WriteAsync(output, metadata, [new XvaDisk("Ref:2", new StreamDiskSource(new MemoryStream(Content(size))))], null, CancellationToken.None);
            await output.CommitAsync(CancellationToken.None);
        }

        await FinishAsync(folder, size, marker);
        return folder;
    }

    public async Task<NauBackupFolder> AddRawAsync(string vm, int day, long size)
    {
        var folder = Root.VmFolder(vm).CreateBackupFolder(Time(day));
        await File.WriteAllBytesAsync(folder.DataFilePath(NauDataFileKind.Raw), Content(size));
        await FinishAsync(folder, size, marker: true);
        return folder;
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

    private static byte[] Content(long size)
    {
        var data = new byte[size];
        new Random(5).NextBytes(data);
        return data;
    }

    private static async Task FinishAsync(NauBackupFolder folder, long size, bool marker)
    {
        await folder.WriteDiskInfoAsync(
            "DISK-xvda",
            new NauVbdRecord("0", true, "RW", "Disk", false, false, "vbd-uuid"),
            new NauVdiRecord("disk", string.Empty, size, "user", false, false, "vdi-uuid", "sr-uuid"),
            CancellationToken.None);
        if (marker)
        {
            await folder.WriteSuccessMarkerAsync(NauSuccessMarker.Success, CancellationToken.None);
        }
    }
}
