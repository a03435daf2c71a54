using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace VmBackup.Formats.Hashing;

/// <summary>
/// XXH64 (xxHash, 64-bit variant), incremental and one-shot. The result equals <c>xxhsum -H64</c>.
/// An instance is not thread-safe; feed it with <see cref="Append"/> and read it with <see cref="GetCurrentHash"/>,
/// which does not change the state (more data may be appended afterwards).
/// </summary>
public sealed class Xxh64
{
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime3 = 1609587929392839161UL;
    private const ulong Prime4 = 9650029242287828579UL;
    private const ulong Prime5 = 2870177450012600261UL;

    private readonly ulong _seed;
    private readonly byte[] _pending = new byte[32];
    private ulong _v1;
    private ulong _v2;
    private ulong _v3;
    private ulong _v4;
    private int _pendingCount;
    private ulong _totalLength;

    /// <summary>Creates a hasher with the given seed (XVA uses seed 0).</summary>
    public Xxh64(ulong seed = 0)
    {
        _seed = seed;
        Reset();
    }

    /// <summary>Forgets all data appended so far.</summary>
    public void Reset()
    {
        _v1 = unchecked(_seed + Prime1 + Prime2);
        _v2 = unchecked(_seed + Prime2);
        _v3 = _seed;
        _v4 = unchecked(_seed - Prime1);
        _pendingCount = 0;
        _totalLength = 0;
    }

    /// <summary>Appends data to the hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _totalLength += (ulong)data.Length;
        if (_pendingCount > 0)
        {
            var take = Math.Min(32 - _pendingCount, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            data = data[take..];
            if (_pendingCount < 32)
            {
                return;
            }

            ConsumeStripes(_pending);
            _pendingCount = 0;
        }

        var whole = data.Length & ~31;
        if (whole > 0)
        {
            ConsumeStripes(data[..whole]);
            data = data[whole..];
        }

        data.CopyTo(_pending);
        _pendingCount = data.Length;
    }

    /// <summary>Returns the hash of everything appended so far.</summary>
    public ulong GetCurrentHash()
    {
        ulong h;
        if (_totalLength >= 32)
        {
            h = BitOperations.RotateLeft(_v1, 1) + BitOperations.RotateLeft(_v2, 7)
                + BitOperations.RotateLeft(_v3, 12) + BitOperations.RotateLeft(_v4, 18);
            h = MergeRound(h, _v1);
            h = MergeRound(h, _v2);
            h = MergeRound(h, _v3);
            h = MergeRound(h, _v4);
        }
        else
        {
            h = unchecked(_seed + Prime5);
        }

        h += _totalLength;
        return Finish(h, _pending.AsSpan(0, _pendingCount));
    }

    /// <summary>One-shot XXH64 of <paramref name="data"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        var length = (ulong)data.Length;
        ulong h;
        if (data.Length >= 32)
        {
            var v1 = unchecked(seed + Prime1 + Prime2);
            var v2 = unchecked(seed + Prime2);
            var v3 = seed;
            var v4 = unchecked(seed - Prime1);
            var whole = data.Length & ~31;
            Stripes(data[..whole], ref v1, ref v2, ref v3, ref v4);
            data = data[whole..];
            h = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            h = MergeRound(h, v1);
            h = MergeRound(h, v2);
            h = MergeRound(h, v3);
            h = MergeRound(h, v4);
        }
        else
        {
            h = unchecked(seed + Prime5);
        }

        h += length;
        return Finish(h, data);
    }

    /// <summary>Formats a hash the way XVA <c>.xxhash</c> entries hold it: 16 upper-case hex digits.</summary>
    public static string ToXvaHex(ulong hash) => hash.ToString("X16", CultureInfo.InvariantCulture);

    private void ConsumeStripes(ReadOnlySpan<byte> data) => Stripes(data, ref _v1, ref _v2, ref _v3, ref _v4);

    private static void Stripes(ReadOnlySpan<byte> data, ref ulong v1, ref ulong v2, ref ulong v3, ref ulong v4)
    {
        var a = v1;
        var b = v2;
        var c = v3;
        var d = v4;
        for (var i = 0; i + 32 <= data.Length; i += 32)
        {
            a = Round(a, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
            b = Round(b, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 8)..]));
            c = Round(c, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 16)..]));
            d = Round(d, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 24)..]));
        }

        v1 = a;
        v2 = b;
        v3 = c;
        v4 = d;
    }

    private static ulong Finish(ulong h, ReadOnlySpan<byte> rest)
    {
        while (rest.Length >= 8)
        {
            h ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(rest));
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + Prime4;
            rest = rest[8..];
        }

        if (rest.Length >= 4)
        {
            h ^= BinaryPrimitives.ReadUInt32LittleEndian(rest) * Prime1;
            h = (BitOperations.RotateLeft(h, 23) * Prime2) + Prime3;
            rest = rest[4..];
        }

        foreach (var b in rest)
        {
            h ^= b * Prime5;
            h = BitOperations.RotateLeft(h, 11) * Prime1;
        }

        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime3;
        h ^= h >> 32;
        return h;
    }

    private static ulong Round(ulong acc, ulong input)
    {
        acc += input * Prime2;
        acc = BitOperations.RotateLeft(acc, 31);
        return acc * Prime1;
    }

    private static ulong MergeRound(ulong acc, ulong value)
    {
        acc ^= Round(0, value);
        return (acc * Prime1) + Prime4;
    }
}
