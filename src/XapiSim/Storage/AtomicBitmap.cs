using System.Numerics;

namespace XapiSim.Storage;

/// <summary>A fixed-size bitmap whose bits may be set concurrently with readers (set bits are never cleared).</summary>
internal sealed class AtomicBitmap
{
    private readonly long[] words;

    public AtomicBitmap(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        words = new long[(length + 63) / 64];
    }

    public long Length { get; }

    public bool Get(long index) => (Volatile.Read(ref words[index >> 6]) & (1L << (int)(index & 63))) != 0;

    /// <summary>Sets bits <c>[first, first + count)</c>; each word is updated atomically.</summary>
    public void SetRange(long first, long count)
    {
        var end = first + count;
        while (first < end)
        {
            var bit = (int)(first & 63);
            var take = (int)Math.Min(64 - bit, end - first);
            var mask = take == 64 ? -1L : ((1L << take) - 1) << bit;
            Interlocked.Or(ref words[first >> 6], mask);
            first += take;
        }
    }

    /// <summary>ORs this bitmap into <paramref name="target"/> (one bit per index, 64 per word).</summary>
    public void OrInto(ulong[] target)
    {
        var count = Math.Min(target.Length, words.Length);
        for (var i = 0; i < count; i++)
        {
            target[i] |= (ulong)Volatile.Read(ref words[i]);
        }
    }

    public long CountSet()
    {
        long total = 0;
        foreach (var word in words)
        {
            total += BitOperations.PopCount((ulong)word);
        }

        return total;
    }
}
