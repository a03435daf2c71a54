using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Tests.Support;

/// <summary>
/// A random sparse disk held in memory (test sizes are small): random extents of random bytes, some all-zero extents
/// reported as allocated, and the allocation list exposed as an <see cref="IDiskSource"/>.
/// </summary>
internal sealed class SparseDisk : IDiskSource
{
    private SparseDisk(byte[] data, IReadOnlyList<DiskExtent> allocated)
    {
        Data = data;
        Allocated = allocated;
    }

    public byte[] Data { get; }

    public IReadOnlyList<DiskExtent> Allocated { get; }

    public long Size => Data.Length;

    public int Reads { get; private set; }

    public List<DiskExtent> ReadRanges { get; } = [];

    /// <summary>A random disk: size 0..maxMiB MiB plus a random tail (not a multiple of 1 MiB unless <paramref name="alignTo"/> says so).</summary>
    public static SparseDisk Random(int seed, int maxMiB = 24, int alignTo = 512)
    {
        var rng = new Random(seed);
        var size = (long)rng.Next(1, maxMiB) * 1024 * 1024 + rng.Next(0, 3) * (long)rng.Next(1, 2048) * 512;
        size = Math.Max(alignTo, size / alignTo * alignTo);
        return Random(rng, size);
    }

    public static SparseDisk Random(Random rng, long size)
    {
        var data = new byte[size];
        var extents = new List<DiskExtent>();
        var count = rng.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            var length = rng.Next(1, 6) switch
            {
                1 => rng.Next(1, 4096),
                2 => rng.Next(1, 70000),
                3 => rng.Next(1, 1100000),
                _ => rng.Next(1, 3 * 1024 * 1024),
            };
            var offset = (long)(rng.NextDouble() * size);
            length = (int)Math.Min(length, size - offset);
            if (length <= 0)
            {
                continue;
            }

            if (rng.Next(5) != 0)
            {
                rng.NextBytes(data.AsSpan((int)offset, length));
            }

            extents.Add(new DiskExtent(offset, length));
        }

        if (rng.Next(3) == 0 && size > 0)
        {
            data[^1] = (byte)rng.Next(1, 256); // last byte non-zero
            extents.Add(new DiskExtent(size - 1, 1));
        }

        return new SparseDisk(data, RawExtents.Normalize(extents));
    }

    public static SparseDisk FromBytes(byte[] data, IReadOnlyList<DiskExtent>? allocated = null) =>
        new(data, allocated ?? (data.Length > 0 ? [new DiskExtent(0, data.Length)] : []));

    /// <summary>A copy with some random new writes (for differencing disks).</summary>
    public SparseDisk Modify(int seed)
    {
        var rng = new Random(seed);
        var copy = (byte[])Data.Clone();
        var changed = new List<DiskExtent>();
        for (var i = rng.Next(1, 6); i > 0; i--)
        {
            var offset = (long)(rng.NextDouble() * Size);
            var length = (int)Math.Min(rng.Next(1, 600000), Size - offset);
            if (length <= 0)
            {
                continue;
            }

            if (rng.Next(4) == 0)
            {
                copy.AsSpan((int)offset, length).Clear(); // writes of zeros must survive too
            }
            else
            {
                rng.NextBytes(copy.AsSpan((int)offset, length));
            }

            changed.Add(new DiskExtent(offset, length));
        }

        return new SparseDisk(copy, RawExtents.Normalize(Allocated.Concat(changed))) { Changed = RawExtents.Normalize(changed) };
    }

    public IReadOnlyList<DiskExtent> Changed { get; private init; } = [];

    public ValueTask<IReadOnlyList<DiskExtent>> GetAllocatedExtentsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Allocated);

    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Reads++;
        ReadRanges.Add(new DiskExtent(offset, buffer.Length));
        Data.AsSpan((int)offset, buffer.Length).CopyTo(buffer.Span);
        return ValueTask.CompletedTask;
    }
}
