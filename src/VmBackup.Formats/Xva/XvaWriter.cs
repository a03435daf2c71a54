using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;

namespace VmBackup.Formats.Xva;

/// <summary>
/// Writes an XVA exactly like XAPI's raw export path (§4): ova.xml first, then each disk in lexicographic order of its
/// <c>Ref:N</c> id, as 1 MiB chunks <c>Ref:N/%08d</c> (the last one <c>size mod 1 MiB</c>) each followed by its checksum
/// entry; chunk 0 and the last chunk are always present, other all-zero chunks are skipped, and areas the source
/// reports as unallocated are never read. Ends with two zero blocks; optionally gzip or zstd as a whole.
/// </summary>
public static class XvaWriter
{
    /// <summary>Writes the XVA to <paramref name="output"/> (not disposed; flushed).</summary>
    /// <exception cref="ArgumentException">A disk id is not a VDI of <paramref name="metadata"/> or its size differs from the VDI's virtual_size.</exception>
    public static async Task WriteAsync(Stream output, OvaXml metadata, IReadOnlyList<XvaDisk> disks, XvaWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(disks);
        options ??= new XvaWriterOptions();
        foreach (var disk in disks)
        {
            var size = metadata.GetVdiVirtualSize(disk.Id) ?? throw new ArgumentException($"disk {disk.Id} is not a VDI in ova.xml", nameof(disks));
            if (size != disk.Source.Size)
            {
                throw new ArgumentException($"disk {disk.Id}: source size {disk.Source.Size} differs from the VDI virtual_size {size}", nameof(disks));
            }
        }

        var ordered = disks.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Id == ordered[i - 1].Id)
            {
                throw new ArgumentException($"disk {ordered[i].Id} is listed twice", nameof(disks));
            }
        }

        var compressed = CompressionStreams.OpenWrite(output, options.Compression, options.CompressionLevel, options.ZstdWorkers, leaveOpen: true);
        await using (compressed.ConfigureAwait(false))
        {
            var tar = new TarWriter(compressed);
            await tar.WriteEntryAsync(XvaChunkNames.OvaXml, metadata.ToUtf8(), options.OvaXmlModificationTime, cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(RawExtents.XvaChunkSize);
            try
            {
                foreach (var disk in ordered)
                {
                    await WriteDiskAsync(tar, disk, buffer, options.Checksum, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await tar.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checksum entry's name and content for a chunk.</summary>
    public static (string Name, byte[] Content) ChecksumEntry(string chunkName, ReadOnlySpan<byte> data, ChunkChecksumKind kind) => kind switch
    {
        ChunkChecksumKind.Xxhash => (chunkName + XvaChunkNames.XxhashExtension, Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash(data)))),
        ChunkChecksumKind.Sha1 => (chunkName + XvaChunkNames.Sha1Extension, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA1.HashData(data)))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown checksum kind"),
    };

    private static async Task WriteDiskAsync(TarWriter tar, XvaDisk disk, byte[] buffer, ChunkChecksumKind checksum, CancellationToken cancellationToken)
    {
        var size = disk.Source.Size;
        var allocated = await disk.Source.GetAllocatedExtentsAsync(cancellationToken).ConfigureAwait(false);
        var lastChunk = size > 0 ? (size - 1) / RawExtents.XvaChunkSize : -1;
        foreach (var chunk in RawExtents.ToXvaChunks(allocated, size))
        {
            var offset = chunk * RawExtents.XvaChunkSize;
            var length = (int)Math.Min(RawExtents.XvaChunkSize, size - offset);
            var data = buffer.AsMemory(0, length);
            await disk.Source.ReadAsync(offset, data, cancellationToken).ConfigureAwait(false);
            var firstOrLast = chunk == 0 || chunk == lastChunk;
            if (!firstOrLast && !data.Span.ContainsAnyExcept((byte)0))
            {
                continue;
            }

            var name = XvaChunkNames.Chunk(disk.Id, chunk);
            await tar.WriteEntryAsync(name, data, 0, cancellationToken).ConfigureAwait(false);
            var (checksumName, content) = ChecksumEntry(name, data.Span, checksum);
            await tar.WriteEntryAsync(checksumName, content, 0, cancellationToken).ConfigureAwait(false);
        }
    }
}
