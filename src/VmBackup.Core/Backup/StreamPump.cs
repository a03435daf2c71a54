using System.Buffers;

namespace VmBackup.Core.Backup;

/// <summary>
/// Copies an export body to a file with two large pooled buffers: while one buffer is written, the next one is read,
/// so the network and the disk work at the same time. Memory use is two buffers, whatever the size of the disk.
/// </summary>
public static class StreamPump
{
    /// <summary>The size of each of the two buffers.</summary>
    public const int BufferSize = 4 << 20;

    /// <summary>
    /// Reads <paramref name="source"/> to its end (a read returning 0) and writes everything to
    /// <paramref name="destination"/>, reporting the bytes written so far to <paramref name="progress"/> after each write.
    /// </summary>
    /// <returns>The number of bytes copied.</returns>
    public static async Task<long> CopyAsync(Stream source, Stream destination, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var front = ArrayPool<byte>.Shared.Rent(BufferSize);
        var back = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            var count = await FillAsync(source, front, cancellationToken).ConfigureAwait(false);
            while (count > 0)
            {
                var write = destination.WriteAsync(front.AsMemory(0, count), cancellationToken).AsTask();
                var read = FillAsync(source, back, cancellationToken);
                try
                {
                    await write.ConfigureAwait(false);
                }
                finally
                {
                    // Never leave the read running on a buffer that goes back to the pool.
                    await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                total += count;
                progress?.Invoke(total);
                count = await read.ConfigureAwait(false);
                (front, back) = (back, front);
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(front);
            ArrayPool<byte>.Shared.Return(back);
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the source ends.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return filled;
    }
}
