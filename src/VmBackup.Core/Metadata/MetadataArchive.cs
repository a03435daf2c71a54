using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VmBackup.Formats.Tar;

namespace VmBackup.Core.Metadata;

/// <summary>
/// VmBackup's format for metadata backups inside the <c>Pool Metadata Backup</c> VDI (docs/metadata.md): a 512-byte
/// header block (ASCII lines <c>VMBACKUP-POOL-METADATA 1</c>, <c>length N</c>, <c>sha256 HEX</c>, zero padded) followed
/// by N bytes, a tar whose entries are <c>&lt;YYYY-MM-DD-HH-MM-SS&gt;/&lt;relative path&gt;</c>, the by-SR index
/// (<see cref="MetadataBySr"/>) as the entry <c>&lt;YYYY-MM-DD-HH-MM-SS&gt;/by-sr.index</c> (absent in backups written
/// before it). The rest of the VDI is ignored. This is not <c>xe-backup-metadata</c>'s ext3 file system.
/// </summary>
public static class MetadataArchive
{
    /// <summary>The size of the header block.</summary>
    public const int HeaderSize = 512;

    private const string Magic = "VMBACKUP-POOL-METADATA 1";

    /// <summary>Classifies the first bytes (at least <see cref="HeaderSize"/>) of a VDI.</summary>
    public static MetadataArchiveContent Classify(ReadOnlySpan<byte> head) =>
        head.StartsWith(Encoding.ASCII.GetBytes(Magic + "\n")) ? MetadataArchiveContent.Archive
        : !head.ContainsAnyExcept((byte)0) ? MetadataArchiveContent.Empty
        : MetadataArchiveContent.Foreign;

    /// <summary>Parses the header block: the tar's length and SHA-256.</summary>
    public static (long Length, string Sha256) ParseHeader(ReadOnlySpan<byte> header)
    {
        var text = Encoding.ASCII.GetString(header[..HeaderSize]).TrimEnd('\0');
        long? length = null;
        string? sha = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("length ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                length = n;
            }
            else if (line.StartsWith("sha256 ", StringComparison.Ordinal))
            {
                sha = line[7..];
            }
        }

        return length is { } l && sha is { Length: 64 } s
            ? (l, s)
            : throw new MetadataBackupException("the Pool Metadata Backup VDI has a damaged header (no length or sha256)");
    }

    /// <summary>Builds the header block of a tar of <paramref name="length"/> bytes with the given SHA-256.</summary>
    public static byte[] Header(long length, string sha256)
    {
        var block = new byte[HeaderSize];
        Encoding.ASCII.GetBytes($"{Magic}\nlength {length.ToString(CultureInfo.InvariantCulture)}\nsha256 {sha256}\n").CopyTo(block, 0);
        return block;
    }

    /// <summary>
    /// Writes the archive of <paramref name="sets"/> (header + tar) to <paramref name="output"/> (seekable, at position 0)
    /// and returns its total length; sets given by <paramref name="copyFrom"/> (a tar positioned at its start) are copied
    /// entry by entry when their name is in <paramref name="keepNames"/>.
    /// </summary>
    public static async Task<long> WriteAsync(Stream output, MetadataSet newSet, Stream? copyFrom, IReadOnlySet<string> keepNames, long mtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(newSet);
        await output.WriteAsync(new byte[HeaderSize], cancellationToken).ConfigureAwait(false);
        var tar = new TarWriter(output);
        foreach (var (relative, content) in newSet.Files)
        {
            await tar.WriteEntryAsync(newSet.Name + "/" + relative, content, mtime, cancellationToken).ConfigureAwait(false);
        }

        if (newSet.BySr is not null)
        {
            await tar.WriteEntryAsync(newSet.Name + "/" + MetadataFileNames.BySrIndex, MetadataBySr.Write(newSet.BySr), mtime, cancellationToken).ConfigureAwait(false);
        }

        if (copyFrom is not null)
        {
            var reader = new TarReader(copyFrom);
            var buffer = new byte[81920];
            while (await reader.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (!entry.IsRegularFile || !keepNames.Contains(SetName(entry.Name)))
                {
                    continue;
                }

                await tar.BeginEntryAsync(entry.Name, entry.Size, entry.ModificationTime, cancellationToken).ConfigureAwait(false);
                int got;
                while ((got = await reader.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await tar.WriteDataAsync(buffer.AsMemory(0, got), cancellationToken).ConfigureAwait(false);
                }

                await tar.EndEntryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var total = output.Position;
        output.Position = HeaderSize;
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(output, cancellationToken).ConfigureAwait(false));
        output.Position = 0;
        await output.WriteAsync(Header(total - HeaderSize, sha), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        output.Position = 0;
        return total;
    }

    /// <summary>Lists the sets of a tar (positioned at its start), newest first.</summary>
    public static async Task<IReadOnlyList<MetadataSetInfo>> ListAsync(Stream tar, CancellationToken cancellationToken)
    {
        var sets = new Dictionary<string, (int Vms, long Bytes)>(StringComparer.Ordinal);
        var indexed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var reader = new TarReader(tar);
        while (await reader.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var name = SetName(entry.Name);
            if (!entry.IsRegularFile || !MetadataFileNames.TryParseDate(name, out _))
            {
                continue;
            }

            var relative = entry.Name[(name.Length + 1)..];
            var (vms, bytes) = sets.GetValueOrDefault(name);
            if (relative == MetadataFileNames.BySrIndex)
            {
                var data = new byte[entry.Size];
                await reader.ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                indexed[name] = [.. MetadataBySr.Parse(data).Keys.Order(StringComparer.Ordinal)];
                sets[name] = (vms, bytes);
                continue;
            }

            sets[name] = (vms + (MetadataFileNames.IsVmFile(relative) ? 1 : 0), bytes + entry.Size);
        }

        return [.. sets.OrderByDescending(s => s.Key, StringComparer.Ordinal).Select(s =>
        {
            MetadataFileNames.TryParseDate(s.Key, out var date);
            return new MetadataSetInfo(s.Key, date, s.Value.Vms, s.Value.Bytes, indexed.GetValueOrDefault(s.Key));
        })];
    }

    /// <summary>Reads the set named <paramref name="name"/> from a tar (positioned at its start); null when absent.</summary>
    public static async Task<MetadataSet?> ReadSetAsync(Stream tar, string name, CancellationToken cancellationToken)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, IReadOnlyList<string>>? bySr = null;
        var reader = new TarReader(tar);
        while (await reader.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (entry.IsRegularFile && SetName(entry.Name) == name)
            {
                var data = new byte[entry.Size];
                await reader.ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                var relative = entry.Name[(name.Length + 1)..];
                if (relative == MetadataFileNames.BySrIndex)
                {
                    bySr = MetadataBySr.Parse(data);
                }
                else
                {
                    files[relative] = data;
                }
            }
        }

        return files.Count == 0 ? null : new MetadataSet(name, files) { BySr = bySr };
    }

    private static string SetName(string entryName)
    {
        var slash = entryName.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? entryName : entryName[..slash];
    }
}
