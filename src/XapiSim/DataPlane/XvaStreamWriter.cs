using System.Buffers;
using System.Text;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;
using XapiSim.Storage;

namespace XapiSim.DataPlane;

/// <summary>
/// Streams XVA disk chunks as xapi's raw export path (stream_vdi.ml): per disk (in the given order) 1 MiB entries
/// <c>prefix/%08d</c> each followed by <c>.xxhash</c>, all-zero chunks skipped, chunks the store reports unallocated
/// never read, chunk 0 and the last chunk always present. Reads go from the store into one pooled buffer that is
/// hashed and written from; <see cref="TransferFaults.CorruptChunk"/> flips a byte after hashing.
/// </summary>
internal sealed class XvaStreamWriter(Transfer transfer, IDiskStore store, TarWriter tar)
{
    private const int ChunkSize = 1024 * 1024;
    private readonly long? _corrupt = transfer.Faults.CorruptChunk;
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
        var last = (size - 1) / ChunkSize;
        for (long chunk = 0; chunk <= last; chunk++)
        {
            var isAllocated = chunk < allocated.Length && allocated[chunk];
            var offset = chunk * ChunkSize;
            var length = (int)Math.Min(ChunkSize, size - offset);
            Processed += length;
            transfer.Progress(Processed, total);
            var edge = chunk == 0 || chunk == last;
            if (!isAllocated && !edge)
            {
                continue;
            }

            var data = buffer.AsMemory(0, length);
            if (isAllocated)
            {
                await store.ReadAsync(disk.DiskId, offset, data, cancellationToken).ConfigureAwait(false);
                if (!edge && !data.Span.ContainsAnyExcept((byte)0))
                {
                    continue;
                }
            }
            else
            {
                data.Span.Clear();
            }

            var name = XvaChunkNames.Chunk(disk.Id, chunk);
            var hash = Encoding.ASCII.GetBytes(Xxh64.ToXvaHex(Xxh64.Hash(data.Span)));
            if (_chunkEntries++ == _corrupt)
            {
                data.Span[length / 2] ^= 0xFF;
            }

            await tar.WriteEntryAsync(name, data, 0, cancellationToken).ConfigureAwait(false);
            await tar.WriteEntryAsync(name + XvaChunkNames.XxhashExtension, hash, 0, cancellationToken).ConfigureAwait(false);
        }
    }
}
