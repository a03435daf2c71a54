using System.Buffers;
using System.Collections.Concurrent;

namespace XapiSim.Storage;

/// <summary>
/// The disks of a <see cref="SparseDiskStore"/> that live in shared-SR folders (see <see cref="ISharedDiskStore"/>):
/// flat sparse files named by VDI uuid, read and written in place, so that every process using the folder sees the
/// same bytes. Allocation is not tracked in memory (another process may write): the allocated blocks are the 64 KiB
/// blocks of the file that hold a non-zero byte, found by reading the file.
/// </summary>
internal sealed class SharedFolderDisks : IDisposable
{
    private const int SubBlock = DiskBlockSizes.CbtBlock;
    private const int ScanChunk = 16 * SubBlock;

    private readonly ConcurrentDictionary<string, SharedDisk> byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> idByPath = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public bool TryGet(string id, out SharedDisk disk) => byId.TryGetValue(id, out disk!);

    /// <summary>
    /// Creates the VDI's file (all zeros, sparse), lets <paramref name="fill"/> write its content, then writes the
    /// sidecar, so that another pool scanning the folder never introduces a VDI whose content is still being written.
    /// Fails if the VDI already exists in the folder; on failure the new file is deleted.
    /// </summary>
    public SharedDisk Create(string folder, SharedVdiInfo info, Action<SharedDisk>? fill = null)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var data = SharedVdiInfo.DataPath(folder, info.Uuid);
        if (File.Exists(SharedVdiInfo.SidecarPath(folder, info.Uuid)))
        {
            throw new IOException($"The VDI {info.Uuid} already exists in {folder}.");
        }

        using (var stream = new FileStream(data, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.SetLength(info.VirtualSize);
        }

        try
        {
            using (var disk = new SharedDisk(string.Empty, folder, info.Uuid, info.VirtualSize))
            {
                fill?.Invoke(disk);
            }

            info.Write(folder);
        }
        catch
        {
            File.Delete(data);
            throw;
        }

        return Attach(folder, info.Uuid);
    }

    /// <summary>Registers the existing VDI <paramref name="uuid"/> of <paramref name="folder"/> (the same disk again if already registered).</summary>
    public SharedDisk Attach(string folder, string uuid)
    {
        folder = Path.GetFullPath(folder);
        var data = SharedVdiInfo.DataPath(folder, uuid);
        lock (gate)
        {
            if (idByPath.TryGetValue(data, out var known) && byId.TryGetValue(known, out var existing))
            {
                return existing;
            }

            var info = SharedVdiInfo.TryRead(folder, uuid) ?? throw new FileNotFoundException($"No readable VDI sidecar for {uuid}.", SharedVdiInfo.SidecarPath(folder, uuid));
            var disk = new SharedDisk(Guid.NewGuid().ToString("D"), folder, uuid, info.VirtualSize);
            byId[disk.Id] = disk;
            idByPath[data] = disk.Id;
            return disk;
        }
    }

    /// <summary>Forgets the disk and deletes its files (sidecar first, so that no other pool introduces a half-deleted VDI).</summary>
    public bool Destroy(string id)
    {
        lock (gate)
        {
            if (!byId.TryRemove(id, out var disk))
            {
                return false;
            }

            idByPath.TryRemove(SharedVdiInfo.DataPath(disk.Folder, disk.Uuid), out _);
            disk.Dispose();
            File.Delete(SharedVdiInfo.SidecarPath(disk.Folder, disk.Uuid));
            File.Delete(SharedVdiInfo.DataPath(disk.Folder, disk.Uuid));
            return true;
        }
    }

    /// <summary>Forgets the disk and closes its file, keeping the files (the next attach opens them again).</summary>
    public bool Forget(string id)
    {
        lock (gate)
        {
            if (!byId.TryRemove(id, out var disk))
            {
                return false;
            }

            idByPath.TryRemove(SharedVdiInfo.DataPath(disk.Folder, disk.Uuid), out _);
            disk.Dispose();
            return true;
        }
    }

    public static int Read(SharedDisk disk, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var count = offset >= disk.VirtualSize ? 0 : (int)Math.Min(buffer.Length, disk.VirtualSize - offset);
        var done = 0;
        while (done < count)
        {
            var read = RandomAccess.Read(disk.Handle, buffer[done..count], offset + done);
            if (read == 0)
            {
                // The file is shorter than the disk (another process truncated it): the rest reads as zeros.
                buffer[done..count].Clear();
                break;
            }

            done += read;
        }

        return count;
    }

    public static async ValueTask<int> ReadAsync(SharedDisk disk, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var count = offset >= disk.VirtualSize ? 0 : (int)Math.Min(buffer.Length, disk.VirtualSize - offset);
        var done = 0;
        while (done < count)
        {
            var read = await RandomAccess.ReadAsync(disk.Handle, buffer[done..count], offset + done, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                buffer.Span[done..count].Clear();
                break;
            }

            done += read;
        }

        return count;
    }

    public static void Write(SharedDisk disk, long offset, ReadOnlySpan<byte> data)
    {
        ValidateWrite(disk, offset, data.Length);
        RandomAccess.Write(disk.Handle, data, offset);
    }

    public static async ValueTask WriteAsync(SharedDisk disk, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ValidateWrite(disk, offset, data.Length);
        await RandomAccess.WriteAsync(disk.Handle, data, offset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One bit per 64 KiB block of the disk: set when the block holds a non-zero byte.</summary>
    public static ulong[] ScanHeld(SharedDisk disk, out long count)
    {
        count = DiskBlockSizes.CountBlocks(disk.VirtualSize, SubBlock);
        var bits = new ulong[(count + 63) / 64];
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunk);
        try
        {
            for (long offset = 0; offset < disk.VirtualSize; offset += ScanChunk)
            {
                var read = Read(disk, offset, buffer.AsSpan(0, ScanChunk));
                for (var start = 0; start < read; start += SubBlock)
                {
                    var block = buffer.AsSpan(start, Math.Min(SubBlock, read - start));
                    if (block.ContainsAnyExcept((byte)0))
                    {
                        var index = (offset + start) / SubBlock;
                        bits[index >> 6] |= 1UL << (int)(index & 63);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return bits;
    }

    /// <summary>Closes the files without deleting them: the folder outlives the pool, as a LUN outlives a host.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var disk in byId.Values)
            {
                disk.Dispose();
            }

            byId.Clear();
            idByPath.Clear();
        }
    }

    private static void ValidateWrite(SharedDisk disk, long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset > disk.VirtualSize - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Write of {length} bytes goes beyond the disk's {disk.VirtualSize} bytes.");
        }
    }
}
