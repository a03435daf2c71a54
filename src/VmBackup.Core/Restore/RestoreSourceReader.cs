using System.Text;
using VmBackup.Core.Verify;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Vhd;
using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Restore;

/// <summary>
/// Opens a NAUbackup restore point for a restore and refuses, before anything is created on the pool, what can be
/// seen to be damaged without reading the whole data file: no success marker, not exactly one data file, a
/// <c>DISK-*</c> folder without a parseable <c>vbd.cfg</c>/<c>vdi.cfg</c>, an unreadable <c>vif-*.cfg</c> or
/// <c>vm-metadata.xml</c>, a <c>verified</c> record that says the (unchanged) data file is damaged, an XVA whose
/// ova.xml cannot be read, a raw image whose size is not <c>DISK-xvda</c>'s virtual_size, a VHD whose footer, header
/// or block table is damaged or truncated. The rest (XVA chunk checksums, VHD block contents) is checked by XAPI while
/// the data streams in; a failure there rolls the restore back.
/// </summary>
public static class RestoreSourceReader
{
    private const long MaxMetadataBytes = 64L * 1024 * 1024;

    /// <summary>Loads and checks the restore point in <paramref name="folder"/>.</summary>
    /// <exception cref="RestoreRefusedException">The folder is not a restorable backup; the message says why.</exception>
    public static async Task<RestoreSource> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var backup = OpenFolder(folder);
        var point = backup.Describe();
        var problems = new List<string>();
        if (!point.IsSuccessful)
        {
            problems.Add("missing success marker (none of " + string.Join(", ", NauMarkers.All.Select(NauMarkers.FileName)) + "): the backup did not finish");
        }

        if (point.DataFiles.Count != 1)
        {
            problems.Add(point.DataFiles.Count == 0
                ? "no data file (.xva, .xva.gz, .xva.zst, .raw or .vhd)"
                : "more than one data file: " + string.Join(", ", point.DataFiles.Select(d => d.FileName)));
        }

        var disks = await ReadDisksAsync(point.Path, problems, cancellationToken).ConfigureAwait(false);
        var vifs = await ReadVifsAsync(point.Path, problems, cancellationToken).ConfigureAwait(false);
        var vmMetadata = await ReadVmMetadataAsync(point.Path, problems, cancellationToken).ConfigureAwait(false);
        if (VerificationRecord.TryRead(point.Path) is { } record && record.StateFor(point) == VerificationState.Failed)
        {
            var first = record.Failures.Count > 0 ? ": " + record.Failures[0].File + ": " + record.Failures[0].Message : string.Empty;
            problems.Add("the last verification found the data file damaged and it has not changed since" + first);
        }

        if (problems.Count > 0 || point.DataFile is not { } data)
        {
            throw Refused(point.Path, problems);
        }

        var dataPath = Path.Combine(point.Path, data.FileName);
        var length = new FileInfo(dataPath).Length;
        OvaXml? xvaMetadata = null;
        switch (data.Kind)
        {
            case NauDataFileKind.Xva or NauDataFileKind.XvaGzip or NauDataFileKind.XvaZstd:
                xvaMetadata = await ReadXvaMetadataAsync(dataPath, problems, cancellationToken).ConfigureAwait(false);
                break;
            case NauDataFileKind.Raw:
                CheckRaw(disks, length, data.FileName, problems);
                break;
            case NauDataFileKind.Vhd:
                await CheckVhdAsync(disks, dataPath, data.FileName, problems, cancellationToken).ConfigureAwait(false);
                break;
            default:
                problems.Add("unknown data file kind " + data.Kind);
                break;
        }

        if (problems.Count > 0)
        {
            throw Refused(point.Path, problems);
        }

        return new RestoreSource(point.Path, backup.VmFolder.VmName, point.Name, data.Kind, dataPath, length, disks, vifs, vmMetadata, xvaMetadata);
    }

    private static RestoreRefusedException Refused(string path, List<string> problems) =>
        new($"backup {path} cannot be restored: " + string.Join("; ", problems) + ". Nothing was created on the pool.");

    private static NauBackupFolder OpenFolder(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var name = Path.GetFileName(full);
        if (!NauNames.TryParseBackupFolderName(name, out _))
        {
            throw new RestoreRefusedException($"{folder} is not a backup folder (its name is not backup-YYYY-MM-DD-(HH:MM:SS))");
        }

        if (!Directory.Exists(full))
        {
            throw new RestoreRefusedException($"backup folder {folder} does not exist");
        }

        var vmDir = Path.GetDirectoryName(full)!;
        var rootDir = Path.GetDirectoryName(vmDir) ?? vmDir;
        return new NauBackupRoot(rootDir).VmFolder(VmNameOf(Path.GetFileName(vmDir))).Open(name);
    }

    /// <summary>The VM name of a VM folder name (VmBackup writes <c>/</c> as <c>%2F</c>, NUL as <c>%00</c>).</summary>
    private static string VmNameOf(string folderName) =>
        folderName.Replace("%2F", "/", StringComparison.Ordinal).Replace("%00", "\0", StringComparison.Ordinal);

    private static string? Optional(NauCfgFile cfg, string key)
    {
        try
        {
            return cfg.Required(key);
        }
        catch (NauCfgFile.CfgFormatException)
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<RestoreDisk>> ReadDisksAsync(string folder, List<string> problems, CancellationToken cancellationToken)
    {
        var disks = new List<RestoreDisk>();
        foreach (var dir in Directory.EnumerateDirectories(folder, "DISK-*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var vbd = await ReadCfgAsync(folder, name + "/vbd.cfg", problems, cancellationToken).ConfigureAwait(false);
            var vdi = await ReadCfgAsync(folder, name + "/vdi.cfg", problems, cancellationToken).ConfigureAwait(false);
            if (vbd is null || vdi is null)
            {
                continue;
            }

            try
            {
                disks.Add(new RestoreDisk(
                    name,
                    vbd.Required("userdevice"),
                    Optional(vbd, "bootable") == "True",
                    Optional(vbd, "mode") == "RO",
                    Optional(vdi, "name_label") ?? string.Empty,
                    Optional(vdi, "name_description") ?? string.Empty,
                    vdi.RequiredInt64("virtual_size"),
                    Optional(vdi, "type") ?? "user",
                    Optional(vdi, "sharable") == "True",
                    Optional(vdi, "read_only") == "True",
                    Optional(vdi, "orig_uuid") ?? string.Empty));
            }
            catch (NauCfgFile.CfgFormatException e)
            {
                problems.Add($"{name}: {e.Message}");
            }
        }

        return [.. disks.OrderBy(d => d.UserDevice.Length).ThenBy(d => d.UserDevice, StringComparer.Ordinal)];
    }

    private static async Task<IReadOnlyList<RestoreNetworkInterface>> ReadVifsAsync(string folder, List<string> problems, CancellationToken cancellationToken)
    {
        var vifs = new List<RestoreNetworkInterface>();
        var dir = Path.Combine(folder, NauBackupFolder.VifFolderName);
        if (!Directory.Exists(dir))
        {
            return vifs;
        }

        foreach (var file in Directory.EnumerateFiles(dir, "vif-*.cfg").Order(StringComparer.Ordinal))
        {
            var relative = NauBackupFolder.VifFolderName + "/" + Path.GetFileName(file);
            var cfg = await ReadCfgAsync(folder, relative, problems, cancellationToken).ConfigureAwait(false);
            if (cfg is null)
            {
                continue;
            }

            try
            {
                var mtu = long.TryParse(Optional(cfg, "MTU"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 1500;
                vifs.Add(new RestoreNetworkInterface(cfg.Required("device"), Optional(cfg, "network_name_label") ?? string.Empty, mtu, cfg.Required("MAC")));
            }
            catch (NauCfgFile.CfgFormatException e)
            {
                problems.Add($"{relative}: {e.Message}");
            }
        }

        return [.. vifs.OrderBy(v => v.Device.Length).ThenBy(v => v.Device, StringComparer.Ordinal)];
    }

    private static async Task<NauCfgFile?> ReadCfgAsync(string folder, string relative, List<string> problems, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, relative);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            problems.Add($"{relative} is missing");
            return null;
        }

        if (info.Length > 1024 * 1024)
        {
            problems.Add($"{relative} is implausibly large ({info.Length} bytes)");
            return null;
        }

        try
        {
            return NauCfgFile.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (NauCfgFile.CfgFormatException e)
        {
            problems.Add($"{relative}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{relative} cannot be read: {e.Message}");
        }

        return null;
    }

    private static async Task<OvaXml?> ReadVmMetadataAsync(string folder, List<string> problems, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, NauBackupFolder.VmMetadataFileName);
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return null;
        }

        if (info.Length > MaxMetadataBytes)
        {
            problems.Add($"{NauBackupFolder.VmMetadataFileName} is implausibly large ({info.Length} bytes)");
            return null;
        }

        try
        {
            return OvaXml.Parse(await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FormatException or System.Xml.XmlException or IOException)
        {
            problems.Add($"{NauBackupFolder.VmMetadataFileName} is not a VM's ova.xml: {e.Message}");
            return null;
        }
    }

    private static async Task<OvaXml?> ReadXvaMetadataAsync(string path, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var (_, decompressed) = await CompressionStreams.OpenReadDetectingAsync(file, leaveOpen: true, cancellationToken).ConfigureAwait(false);
                await using (decompressed.ConfigureAwait(false))
                {
                    var tar = new TarReader(decompressed);
                    var header = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false);
                    if (header is null || !header.IsRegularFile || header.Name != "ova.xml")
                    {
                        problems.Add($"{Path.GetFileName(path)}: the first entry is not ova.xml (not an XVA)");
                        return null;
                    }

                    if (header.Size > MaxMetadataBytes)
                    {
                        problems.Add($"{Path.GetFileName(path)}: ova.xml is implausibly large ({header.Size} bytes)");
                        return null;
                    }

                    var bytes = new byte[header.Size];
                    await tar.ReadDataExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                    var ova = OvaXml.Parse(Encoding.UTF8.GetString(bytes));
                    if (ova.Vm is null)
                    {
                        problems.Add($"{Path.GetFileName(path)}: ova.xml holds no VM");
                        return null;
                    }

                    return ova;
                }
            }
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidDataException or System.Xml.XmlException or TarFormatException)
        {
            problems.Add($"{Path.GetFileName(path)}: cannot read its ova.xml: {e.Message}");
            return null;
        }
    }

    private static void CheckRaw(IReadOnlyList<RestoreDisk> disks, long length, string fileName, List<string> problems)
    {
        if (disks.FirstOrDefault(d => d.FolderName == "DISK-xvda") is not { } xvda)
        {
            problems.Add("DISK-xvda/vdi.cfg is missing (it gives the size of the disk to create)");
            return;
        }

        if (length != xvda.VirtualSize)
        {
            problems.Add($"{fileName} is {length} bytes but DISK-xvda/vdi.cfg says virtual_size={xvda.VirtualSize} (truncated or wrong file)");
        }
    }

    private static async Task CheckVhdAsync(IReadOnlyList<RestoreDisk> disks, string path, string fileName, List<string> problems, CancellationToken cancellationToken)
    {
        if (disks.FirstOrDefault(d => d.FolderName == "DISK-xvda") is not { } xvda)
        {
            problems.Add("DISK-xvda/vdi.cfg is missing (it gives the size of the disk to create)");
            return;
        }

        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.RandomAccess);
            await using (file.ConfigureAwait(false))
            {
                var vhd = await VhdReader.OpenAsync(file, cancellationToken).ConfigureAwait(false);
                if (vhd.VirtualSize != xvda.VirtualSize)
                {
                    problems.Add($"{fileName} holds a {vhd.VirtualSize}-byte disk but DISK-xvda/vdi.cfg says virtual_size={xvda.VirtualSize}");
                }
            }
        }
        catch (VhdFormatException e)
        {
            problems.Add($"{fileName} is damaged: {e.Message}");
        }
        catch (IOException e)
        {
            problems.Add($"{fileName} cannot be read: {e.Message}");
        }
    }
}
