using System.Buffers;
using System.Text;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;
using XapiSim.Storage;

namespace XapiSim.DataPlane;

/// <summary>
/// Streams XVA disk chunks as xapi's raw export path (stream_vdi.ml <c>send_one</c>): per disk (in the given order) 1 MiB
/// entries <c>prefix/%08d</c> each followed by <c>.xxhash</c>, all-zero chunks skipped, chunks the store reports
/// unallocated never read, chunk 0 and the last chunk always present. When nothing was sent for more than
/// <see cref="KeepAliveInterval"/> (measured on the pool's clock, per disk, from before each entry is written), the next
/// counter number goes to a 0-byte keep-alive entry (with its <c>.xxhash</c>) and the disk offset stays put, so chunk
/// names are sequence numbers, not offset ÷ 1 MiB. Reads go from the store into one pooled buffer that is hashed and
/// written from; <see cref="TransferFaults.CorruptChunk"/> flips a byte of a data entry after hashing.
/// </summary>
internal sealed class XvaStreamWriter(Transfer transfer, IDiskStore store, TarWriter tar)
{
    /// <summary>xapi's firewall workaround timeout (<c>Mtime.Span.(5 * s)</c>); a keep-alive needs strictly more.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(5);

    private const int ChunkSize = 1024 * 1024;
    private static readonly byte[] EmptyHash = Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash([])));
    private readonly long? _corrupt = transfer.Faults.CorruptChunk;
    private readonly TimeProvider _time = transfer.Pool.Time;
    private long _chunkEntries;

    /// <summary>Bytes of disk (virtual offsets) processed so far, for progress.</summary>
    public long Processed { get; private set; }

    public async Task WriteOvaXmlAsync(OvaXml metadata, long mtime, CancellationToken cancellationToken)
        => await tar.WriteEntryAsync(XvaChunkNames.OvaXml, metadata.ToUtf8(), mtime, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes every disk's chunks; <paramref name="total"/> is the sum of their sizes (for progress).</summary>
    public async Task WriteDisksAsync(IReadOnlyList<ExportDisk> disks, long total, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            foreach (var disk in disks)
            {
                await WriteDiskAsync(disk, buffer, total, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteDiskAsync(ExportDisk disk, byte[] buffer, long total, CancellationToken cancellationToken)
    {
        var size = disk.Size;
        if (size <= 0)
        {
            return;
        }

        var allocated = store.GetAllocatedBlocks(disk.DiskId, ChunkSize);
        var lastTransmission = _time.GetTimestamp();
        long counter = 0;
        for (long offset = 0; offset < size; counter++)
        {
            var length = (int)Math.Min(ChunkSize, size - offset);
            var edge = counter == 0 || length == size - offset;
            var name = XvaChunkNames.Chunk(disk.Id, counter);
            if (!edge && _time.GetElapsedTime(lastTransmission) > KeepAliveInterval)
            {
                lastTransmission = _time.GetTimestamp();
                await tar.WriteEntryAsync(name, ReadOnlyMemory<byte>.Empty, 0, cancellationToken).ConfigureAwait(false);
                await tar.WriteEntryAsync(name + XvaChunkNames.XxhashExtension, EmptyHash, 0, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var block = offset / ChunkSize;
            var isAllocated = block < allocated.Length && allocated[block];
            var chunkOffset = offset;
            offset += length;
            Processed += length;
            transfer.Progress(Processed, total);
            if (!isAllocated && !edge)
            {
                continue;
            }

            var data = buffer.AsMemory(0, length);
            if (isAllocated)
            {
                await store.ReadAsync(disk.DiskId, chunkOffset, data, cancellationToken).ConfigureAwait(false);
                if (!edge && !data.Span.ContainsAnyExcept((byte)0))
                {
                    continue;
                }
            }
            else
            {
                data.Span.Clear();
            }

            var hash = Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash(data.Span)));
            if (_chunkEntries++ == _corrupt)
            {
                data.Span[length / 2] ^= 0xFF;
            }

            lastTransmission = _time.GetTimestamp();
            await tar.WriteEntryAsync(name, data, 0, cancellationToken).ConfigureAwait(false);
            await tar.WriteEntryAsync(name + XvaChunkNames.XxhashExtension, hash, 0, cancellationToken).ConfigureAwait(false);
        }
    }
}
