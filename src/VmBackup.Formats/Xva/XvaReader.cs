using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VmBackup.Formats.Compression;
using VmBackup.Formats.Disks;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;

namespace VmBackup.Formats.Xva;

/// <summary>
/// Reads an XVA (plain, gzip or zstd, detected by magic) from a non-seekable stream and reconstructs each disk with
/// XAPI's import algorithm (§4.3): entries of a disk must carry the disk's prefix and strictly increasing suffixes (as
/// strings); a suffix gap of k skips k × (size of the very first chunk of the archive) zero bytes; 0-byte keep-alive
/// entries advance the counter but not the offset; each chunk is immediately followed by its <c>.xxhash</c> or
/// <c>.checksum</c> entry, verified before the data reaches the sink; a disk is complete when the offset reaches its
/// VDI's virtual_size. Damage raises <see cref="XvaFormatException"/> naming the entry and offset.
/// </summary>
public static class XvaReader
{
    /// <summary>Reads the whole XVA; disk data goes to the sinks returned by <paramref name="handler"/>.</summary>
    public static async Task<XvaReadResult> ReadAsync(Stream input, IXvaReadHandler handler, XvaReaderOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new XvaReaderOptions();
        var (kind, decompressed) = await CompressionStreams.OpenReadDetectingAsync(input, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await using (decompressed.ConfigureAwait(false))
        {
            var tar = new TarReader(decompressed);
            try
            {
                var state = new ImportState(tar, handler, options);
                var metadata = await state.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
                var disks = await state.ReadDisksAsync(metadata, cancellationToken).ConfigureAwait(false);
                return new XvaReadResult(metadata, kind, disks);
            }
            catch (TarFormatException e)
            {
                throw new XvaFormatException($"damaged XVA: {e.Message}", e.EntryName, e.Offset, e);
            }
            catch (InvalidDataException e)
            {
                throw new XvaFormatException($"damaged XVA ({kind} stream) near tar offset {tar.Position} in entry '{tar.Current?.Name}': {e.Message}", tar.Current?.Name, tar.Position, e);
            }
        }
    }

    private sealed class ImportState(TarReader tar, IXvaReadHandler handler, XvaReaderOptions options)
    {
        private const int MaxChecksumEntrySize = 256;
        private long _firstChunkLength = -1;

        public async Task<OvaXml> ReadMetadataAsync(CancellationToken cancellationToken)
        {
            var first = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new XvaFormatException("XVA is empty: no ova.xml entry at offset 0", null, 0);
            if (first.Name != XvaChunkNames.OvaXml)
            {
                throw new XvaFormatException($"first XVA entry is '{first.Name}' at offset {first.HeaderOffset}, expected 'ova.xml'", first.Name, first.HeaderOffset);
            }

            if (first.Size > 256L * 1024 * 1024)
            {
                throw new XvaFormatException($"ova.xml at offset {first.HeaderOffset} is implausibly large ({first.Size} bytes)", first.Name, first.HeaderOffset);
            }

            var bytes = new byte[first.Size];
            await tar.ReadDataExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            OvaXml metadata;
            try
            {
                metadata = OvaXml.Parse(Encoding.UTF8.GetString(bytes));
            }
            catch (FormatException e)
            {
                throw new XvaFormatException($"ova.xml at offset {first.DataOffset} is invalid: {e.Message}", first.Name, first.DataOffset, e);
            }

            await handler.OnMetadataAsync(metadata, cancellationToken).ConfigureAwait(false);
            return metadata;
        }

        public async Task<IReadOnlyList<XvaDiskSummary>> ReadDisksAsync(OvaXml metadata, CancellationToken cancellationToken)
        {
            var summaries = new List<XvaDiskSummary>();
            string? lastDisk = null;
            var header = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false);
            while (header is not null)
            {
                var slash = header.Name.IndexOf('/', StringComparison.Ordinal);
                var prefix = slash > 0 ? header.Name[..slash] : null;
                if (prefix is null || !prefix.StartsWith("Ref:", StringComparison.Ordinal))
                {
                    header = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false); // not disk data (e.g. a legacy checksum table)
                    continue;
                }

                var vdi = metadata.Vdis.FirstOrDefault(v => v.Id == prefix)
                    ?? throw new XvaFormatException($"entry '{header.Name}' at offset {header.HeaderOffset} belongs to {prefix}, which is not a VDI in ova.xml", header.Name, header.HeaderOffset);
                if (prefix == lastDisk)
                {
                    throw new XvaFormatException(
                        $"out-of-order chunk '{header.Name}' at offset {header.HeaderOffset}: disk {prefix} was already complete",
                        header.Name,
                        header.HeaderOffset);
                }

                if (lastDisk is not null && string.CompareOrdinal(prefix, lastDisk) < 0)
                {
                    throw new XvaFormatException(
                        $"entry '{header.Name}' at offset {header.HeaderOffset} is out of order: disk {prefix} follows disk {lastDisk} (disks must be in increasing order and complete)",
                        header.Name,
                        header.HeaderOffset);
                }

                long size;
                try
                {
                    size = vdi.GetInt64("virtual_size");
                }
                catch (FormatException e)
                {
                    throw new XvaFormatException($"ova.xml VDI {prefix}: {e.Message}", XvaChunkNames.OvaXml, 0, e);
                }

                var disk = new XvaDiskInfo(prefix, size, vdi);
                var sink = await handler.BeginDiskAsync(disk, cancellationToken).ConfigureAwait(false);
                summaries.Add(await ReadDiskAsync(disk, header, sink, cancellationToken).ConfigureAwait(false));
                await handler.EndDiskAsync(disk, cancellationToken).ConfigureAwait(false);
                lastDisk = prefix;
                header = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false);
            }

            return summaries;
        }

        private async Task<XvaDiskSummary> ReadDiskAsync(XvaDiskInfo disk, TarEntryHeader first, IDiskSink sink, CancellationToken cancellationToken)
        {
            var prefix = disk.Id + "/";
            var lastSuffix = "-1";
            long offset = 0;
            var entries = 0;
            long dataBytes = 0;
            TarEntryHeader? header = first;
            while (offset < disk.VirtualSize)
            {
                header ??= await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new XvaFormatException(
                        $"XVA truncated at offset {tar.Position}: disk {disk.Id} has {offset} of {disk.VirtualSize} bytes (end of archive after entry '{tar.Current?.Name ?? lastSuffix}')",
                        null,
                        tar.Position);
                if (!header.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw new XvaFormatException(
                        $"expected a chunk of disk {disk.Id} at offset {header.HeaderOffset} (disk offset {offset} of {disk.VirtualSize}), found '{header.Name}'",
                        header.Name,
                        header.HeaderOffset);
                }

                var suffix = header.Name[prefix.Length..];
                if (string.CompareOrdinal(suffix, lastSuffix) <= 0)
                {
                    throw new XvaFormatException(
                        $"out-of-order chunk '{header.Name}' at offset {header.HeaderOffset}: its suffix does not sort after '{lastSuffix}'",
                        header.Name,
                        header.HeaderOffset);
                }

                if (!long.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
                {
                    throw new XvaFormatException($"chunk '{header.Name}' at offset {header.HeaderOffset} has a non-numeric suffix", header.Name, header.HeaderOffset);
                }

                if (header.Size > options.MaxChunkSize || !header.IsRegularFile)
                {
                    throw new XvaFormatException($"chunk '{header.Name}' at offset {header.HeaderOffset} is not a regular file of at most {options.MaxChunkSize} bytes (size {header.Size})", header.Name, header.HeaderOffset);
                }

                if (_firstChunkLength < 0)
                {
                    _firstChunkLength = header.Size;
                }

                var lastCounter = long.Parse(lastSuffix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                var skipped = (counter - lastCounter - 1) * _firstChunkLength;
                var writeAt = offset + skipped;
                if (writeAt + header.Size > disk.VirtualSize)
                {
                    throw new XvaFormatException(
                        $"chunk '{header.Name}' at offset {header.HeaderOffset} would write bytes {writeAt}..{writeAt + header.Size} beyond disk {disk.Id}'s virtual_size {disk.VirtualSize}",
                        header.Name,
                        header.HeaderOffset);
                }

                var length = (int)header.Size;
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                try
                {
                    var data = buffer.AsMemory(0, length);
                    await tar.ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                    await VerifyChecksumAsync(header, data, cancellationToken).ConfigureAwait(false);
                    if (length > 0)
                    {
                        await sink.WriteAsync(writeAt, data, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                entries++;
                dataBytes += length;
                offset = writeAt + length;
                lastSuffix = suffix;
                header = null;
            }

            return new XvaDiskSummary(disk, entries, dataBytes);
        }

        private async Task VerifyChecksumAsync(TarEntryHeader chunk, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var checksum = await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new XvaFormatException($"missing checksum entry for chunk '{chunk.Name}': the archive ends at offset {tar.Position}", chunk.Name, tar.Position);
            string computed;
            if (checksum.Name == chunk.Name + XvaChunkNames.XxhashExtension)
            {
                computed = options.VerifyChecksums ? Xxh64.ToXvaHex(Xxh64.Hash(data.Span)) : string.Empty;
            }
            else if (checksum.Name == chunk.Name + XvaChunkNames.Sha1Extension)
            {
                computed = options.VerifyChecksums ? Convert.ToHexStringLower(SHA1.HashData(data.Span)) : string.Empty;
            }
            else
            {
                throw new XvaFormatException(
                    $"missing checksum entry for chunk '{chunk.Name}': found '{checksum.Name}' at offset {checksum.HeaderOffset}, expected '{chunk.Name}{XvaChunkNames.XxhashExtension}' or '{chunk.Name}{XvaChunkNames.Sha1Extension}'",
                    checksum.Name,
                    checksum.HeaderOffset);
            }

            if (checksum.Size > MaxChecksumEntrySize)
            {
                throw new XvaFormatException($"checksum entry '{checksum.Name}' at offset {checksum.HeaderOffset} is too large ({checksum.Size} bytes)", checksum.Name, checksum.HeaderOffset);
            }

            var stored = new byte[checksum.Size];
            await tar.ReadDataExactlyAsync(stored, cancellationToken).ConfigureAwait(false);
            if (!options.VerifyChecksums)
            {
                return;
            }

            var storedText = Encoding.ASCII.GetString(stored).Trim();
            if (!string.Equals(storedText, computed, StringComparison.OrdinalIgnoreCase))
            {
                throw new XvaFormatException(
                    $"checksum mismatch for chunk '{chunk.Name}' (data at offset {chunk.DataOffset}): '{checksum.Name}' at offset {checksum.HeaderOffset} says {storedText}, the data hashes to {computed}",
                    chunk.Name,
                    chunk.DataOffset);
            }
        }
    }
}
