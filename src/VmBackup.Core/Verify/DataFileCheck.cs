using System.Globalization;
using VmBackup.Formats;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Vhd;
using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>
/// Reads a data file once, from start to end, checking its structure while SHA-256 hashes the bytes
/// (<see cref="ReadAheadHashingStream"/>): an XVA through <see cref="XvaReader"/> (every chunk checksum, ova.xml, every
/// disk complete), a VHD through <see cref="VhdReader"/> (footer, header, BAT) and a raw image by its size.
/// </summary>
internal static class DataFileCheck
{
    private const string XvdaFolder = "DISK-xvda";

    /// <summary>Verifies the data file; returns its SHA-256 (null when it was not read to the end) and the bytes read.</summary>
    public static async Task<(string? Sha256, long BytesRead)> RunAsync(
        string folder,
        NauDataFileInfo data,
        IReadOnlyList<CfgDisk> disks,
        bool disksComplete,
        int bufferSize,
        VerificationFindings findings,
        CancellationToken cancellationToken)
    {
        using var opened = TryOpenRead(Path.Combine(folder, data.FileName), data.FileName, findings);
        if (opened is not { } file)
        {
            return (null, 0);
        }

        return data.Kind switch
        {
            NauDataFileKind.Raw => await RawAsync(file, data, disks, bufferSize, findings, cancellationToken).ConfigureAwait(false),
            NauDataFileKind.Vhd => await VhdAsync(file, data, disks, bufferSize, findings, cancellationToken).ConfigureAwait(false),
            _ => await XvaAsync(file, data, disks, disksComplete, bufferSize, findings, cancellationToken).ConfigureAwait(false),
        };
    }

    private static FileStream? TryOpenRead(string path, string fileName, VerificationFindings findings)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Fail(fileName, null, "cannot be opened: " + e.Message);
            return null;
        }
    }

    private static async Task<(string?, long)> XvaAsync(
        FileStream file,
        NauDataFileInfo data,
        IReadOnlyList<CfgDisk> disks,
        bool disksComplete,
        int bufferSize,
        VerificationFindings findings,
        CancellationToken cancellationToken)
    {
        var compressed = NauDataFileKinds.IsCompressed(data.Kind);
        using var input = new ReadAheadHashingStream(file, bufferSize, cancellationToken);
        XvaReadResult result;
        try
        {
            result = await XvaReader.ReadAsync(input, DiscardXvaHandler.Instance, new XvaReaderOptions { VerifyChecksums = true }, cancellationToken).ConfigureAwait(false);
            await input.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DamagedInputException e)
        {
            findings.Fail(data.FileName, e.Offset, e.Message, compressed);
            return (null, input.BytesRead);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ZstdUnavailableException)
        {
            findings.Fail(data.FileName, null, $"read failed after {input.BytesRead} bytes: {e.Message}");
            return (null, input.BytesRead);
        }

        var expected = data.Kind switch
        {
            NauDataFileKind.XvaGzip => CompressionKind.Gzip,
            NauDataFileKind.XvaZstd => CompressionKind.Zstd,
            _ => CompressionKind.None,
        };
        if (result.Compression != expected)
        {
            findings.Warn($"{data.FileName} is {result.Compression} by its content, not {expected} as its name says");
        }

        CheckXvaDisks(data.FileName, result, disks, disksComplete, findings);
        return (input.GetSha256(), input.BytesRead);
    }

    private static void CheckXvaDisks(string fileName, XvaReadResult result, IReadOnlyList<CfgDisk> disks, bool disksComplete, VerificationFindings findings)
    {
        var metadata = result.Metadata;
        var vdiIds = metadata.Vdis.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var diskVdis = metadata.Vbds
            .Where(vbd => !string.Equals(vbd.GetString("type"), "CD", StringComparison.OrdinalIgnoreCase))
            .Select(vbd => vbd.GetString("VDI"))
            .OfType<string>()
            .Where(vdiIds.Contains)
            .Distinct(StringComparer.Ordinal)
            .Select(id => metadata.FindById(id)!)
            .ToList();
        if (!metadata.Vbds.Any())
        {
            diskVdis = [.. metadata.Vdis];
        }

        var read = result.Disks.Select(d => d.Disk.Id).ToHashSet(StringComparer.Ordinal);
        var sizes = new List<long>();
        foreach (var vdi in diskVdis)
        {
            long size;
            try
            {
                size = vdi.GetInt64("virtual_size");
            }
            catch (FormatException e)
            {
                findings.Fail(fileName, null, $"ova.xml VDI {vdi.Id}: {e.Message}");
                continue;
            }

            sizes.Add(size);
            if (size > 0 && !read.Contains(vdi.Id))
            {
                findings.Fail(fileName, null, $"disk {vdi.Id} (VDI '{vdi.GetString("name_label")}', virtual_size {size}) has no data in the XVA");
            }
        }

        if (!disksComplete)
        {
            return; // the broken DISK-* cfg files are reported already
        }

        if (disks.Count != sizes.Count)
        {
            findings.Fail(
                fileName,
                null,
                $"the XVA holds {sizes.Count} disk(s) (virtual sizes {List(sizes)}) but the folder has {disks.Count} DISK-*/vdi.cfg (virtual sizes {List(disks.Select(d => d.VirtualSize))})");
            return;
        }

        var unmatched = new List<long>(sizes);
        foreach (var disk in disks)
        {
            if (!unmatched.Remove(disk.VirtualSize))
            {
                findings.Fail($"{disk.FolderName}/vdi.cfg", null, $"virtual_size {disk.VirtualSize} matches no disk of {fileName} (virtual sizes {List(sizes)})");
            }
        }
    }

    private static async Task<(string?, long)> RawAsync(
        FileStream file,
        NauDataFileInfo data,
        IReadOnlyList<CfgDisk> disks,
        int bufferSize,
        VerificationFindings findings,
        CancellationToken cancellationToken)
    {
        var (sha, size) = await HashWholeFileAsync(file, data, bufferSize, findings, cancellationToken).ConfigureAwait(false);
        if (sha is null)
        {
            return (null, size);
        }

        if (XvdaSize(disks, findings) is { } expected && expected != size)
        {
            var what = size < expected ? $"truncated: {expected - size} bytes missing" : $"{size - expected} bytes too many";
            findings.Fail(data.FileName, Math.Min(size, expected), $"size {size} differs from {XvdaFolder}/vdi.cfg virtual_size {expected} ({what})");
        }

        return (sha, size);
    }

    private static async Task<(string?, long)> VhdAsync(
        FileStream file,
        NauDataFileInfo data,
        IReadOnlyList<CfgDisk> disks,
        int bufferSize,
        VerificationFindings findings,
        CancellationToken cancellationToken)
    {
        // Footer, header and BAT first (a few small reads), then one sequential pass over the whole file, which reads
        // every block and hashes it.
        VhdReader vhd;
        try
        {
            vhd = await VhdReader.OpenAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (DamagedInputException e)
        {
            findings.Fail(data.FileName, e.Offset, e.Message);
            return (null, 0);
        }
        catch (IOException e)
        {
            findings.Fail(data.FileName, null, "read failed: " + e.Message);
            return (null, 0);
        }

        if (vhd.Footer.DiskType == VhdDiskType.Differencing)
        {
            findings.Fail(data.FileName, 60, "a differencing VHD (it needs its parent); vdi-export writes a full disk");
        }

        if (XvdaSize(disks, findings) is { } expected && expected != vhd.VirtualSize)
        {
            findings.Fail(data.FileName, file.Length - VhdFooter.Size + 48, $"VHD virtual size {vhd.VirtualSize} (footer current_size) differs from {XvdaFolder}/vdi.cfg virtual_size {expected}");
        }

        var length = file.Length;
        file.Position = 0;
        var (sha, read) = await HashWholeFileAsync(file, data, bufferSize, findings, cancellationToken).ConfigureAwait(false);
        if (sha is null)
        {
            return (null, read);
        }

        if (read != length)
        {
            findings.Fail(data.FileName, read, $"the file changed while it was read: {read} bytes read, {length} expected");
        }

        return (sha, read);
    }

    /// <summary>Reads the whole file once through the hashing read-ahead; a read error is a finding (null digest).</summary>
    private static async Task<(string? Sha256, long BytesRead)> HashWholeFileAsync(
        FileStream file, NauDataFileInfo data, int bufferSize, VerificationFindings findings, CancellationToken cancellationToken)
    {
        using var input = new ReadAheadHashingStream(file, bufferSize, cancellationToken);
        try
        {
            await input.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            findings.Fail(data.FileName, null, $"read failed after {input.BytesRead} bytes: {e.Message}");
            return (null, input.BytesRead);
        }

        return (input.GetSha256(), input.BytesRead);
    }

    private static long? XvdaSize(IReadOnlyList<CfgDisk> disks, VerificationFindings findings)
    {
        var xvda = disks.FirstOrDefault(d => d.FolderName == XvdaFolder);
        if (xvda is null && !findings.Failures.Any(f => f.File.StartsWith(XvdaFolder + "/", StringComparison.Ordinal)))
        {
            findings.Fail(XvdaFolder + "/vdi.cfg", null, "missing: a vdi-export backup holds the xvda disk, whose size is in DISK-xvda/vdi.cfg");
        }

        return xvda?.VirtualSize;
    }

    private static string List(IEnumerable<long> sizes) =>
        "[" + string.Join(", ", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";
}
