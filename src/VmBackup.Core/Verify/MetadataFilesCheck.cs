using System.Xml;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>
/// Checks the metadata files of a backup folder: every <c>DISK-*</c> folder holds a parseable <c>vbd.cfg</c> and
/// <c>vdi.cfg</c> (with a numeric <c>virtual_size</c>), every <c>VIFs/vif-*.cfg</c> parses, and
/// <c>vm-metadata.xml</c>, when present and not empty, is well-formed XML.
/// </summary>
internal static class MetadataFilesCheck
{
    private const long MaxCfgSize = 1024 * 1024;

    /// <summary>The disks whose <c>vdi.cfg</c> could be read; <c>Complete</c> is false when any <c>DISK-*</c> cfg failed.</summary>
    public static async Task<(IReadOnlyList<CfgDisk> Disks, bool Complete)> RunAsync(string folder, VerificationFindings findings, CancellationToken cancellationToken)
    {
        var disks = new List<CfgDisk>();
        var complete = true;
        foreach (var dir in Directory.EnumerateDirectories(folder, "DISK-*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var vbd = await ReadCfgAsync(folder, name + "/vbd.cfg", findings, cancellationToken).ConfigureAwait(false);
            if (vbd is not null && !TryGet(() => vbd.Required("userdevice"), name + "/vbd.cfg", findings))
            {
                complete = false;
            }

            var vdi = await ReadCfgAsync(folder, name + "/vdi.cfg", findings, cancellationToken).ConfigureAwait(false);
            long size = 0;
            if (vdi is not null && TryGet(() => size = vdi.RequiredInt64("virtual_size"), name + "/vdi.cfg", findings))
            {
                disks.Add(new CfgDisk(name, size));
            }
            else
            {
                complete = false;
            }

            complete &= vbd is not null;
        }

        var vifs = Path.Combine(folder, NauBackupFolder.VifFolderName);
        if (Directory.Exists(vifs))
        {
            foreach (var file in Directory.EnumerateFiles(vifs, "vif-*.cfg").Order(StringComparer.Ordinal))
            {
                var relative = NauBackupFolder.VifFolderName + "/" + Path.GetFileName(file);
                var vif = await ReadCfgAsync(folder, relative, findings, cancellationToken).ConfigureAwait(false);
                if (vif is not null)
                {
                    TryGet(() => vif.Required("device") + vif.Required("MAC"), relative, findings);
                }
            }
        }

        await CheckVmMetadataAsync(folder, findings, cancellationToken).ConfigureAwait(false);
        return (disks, complete);
    }

    private static bool TryGet<T>(Func<T> get, string relative, VerificationFindings findings)
    {
        try
        {
            get();
            return true;
        }
        catch (NauCfgFile.CfgFormatException e)
        {
            findings.Fail(relative, e.Offset, e.Message);
            return false;
        }
    }

    private static async Task<NauCfgFile?> ReadCfgAsync(string folder, string relative, VerificationFindings findings, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, relative);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                findings.Fail(relative, null, "missing (every DISK-* folder holds vbd.cfg and vdi.cfg)");
                return null;
            }

            if (info.Length > MaxCfgSize)
            {
                findings.Fail(relative, null, $"implausibly large for a cfg file ({info.Length} bytes)");
                return null;
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return NauCfgFile.Parse(bytes);
        }
        catch (NauCfgFile.CfgFormatException e)
        {
            findings.Fail(relative, e.Offset, e.Message);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Fail(relative, null, "cannot be read: " + e.Message);
            return null;
        }
    }

    private static async Task CheckVmMetadataAsync(string folder, VerificationFindings findings, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, NauBackupFolder.VmMetadataFileName);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return; // written since v3.22 only
        }

        if (info.Length == 0)
        {
            findings.Warn($"{NauBackupFolder.VmMetadataFileName} is empty (v3.25 leaves it so when the metadata export failed)");
            return;
        }

        var settings = new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = XmlReader.Create(stream, settings);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (XmlException e)
        {
            findings.Fail(NauBackupFolder.VmMetadataFileName, null, "not well-formed XML: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Fail(NauBackupFolder.VmMetadataFileName, null, "cannot be read: " + e.Message);
        }
    }
}
