using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text.Unicode;

namespace XapiSim.Storage;

/// <summary>
/// The deterministic content of a generated disk, a pure function of (virtual size, fill, seed):
/// <list type="bullet">
/// <item>Exactly <c>round(fill × blockCount)</c> of the disk's 2 MiB blocks are allocated (midpoint rounded away from
/// zero); which ones is chosen by a seeded permutation of the block indices, so they are spread over the disk and the
/// choice costs no memory. Unallocated blocks read as zeros.</item>
/// <item>Each 64 KiB sub-block of an allocated block is 32 KiB of pseudo-random bytes (a splitmix64 counter stream keyed
/// by seed and sub-block, little-endian words) followed by 32 KiB of a repeated text line naming seed, block and
/// sub-block: realistic data that compresses about 2:1 and does not deduplicate across sub-blocks.</item>
/// </list>
/// Generation runs at several GB/s per core. The same inputs give the same bytes on every platform and run.
/// </summary>
public static class DiskPattern
{
    private const int RandomBytesPerSubBlock = DiskBlockSizes.CbtBlock / 2;
    private const int HashBufferSize = 1024 * 1024;

    /// <summary>Number of 2 MiB blocks allocated in a generated disk: <c>round(fill × blockCount)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fill"/> is not within [0, 1] or the size is negative.</exception>
    public static long GetAllocatedBlockCount(long virtualSize, double fill)
    {
        ValidateFill(fill);
        var blocks = DiskBlockSizes.CountBlocks(virtualSize, DiskBlockSizes.VhdBlock);
        return Math.Min(blocks, (long)Math.Round(fill * blocks, MidpointRounding.AwayFromZero));
    }

    /// <summary>Whether 2 MiB block <paramref name="blockIndex"/> of the generated disk holds data (else it reads as zeros).</summary>
    public static bool IsBlockAllocated(long virtualSize, double fill, int seed, long blockIndex)
    {
        var allocation = new BlockAllocation(virtualSize, fill, seed);
        ArgumentOutOfRangeException.ThrowIfNegative(blockIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(blockIndex, allocation.BlockCount);
        return allocation.IsAllocated(blockIndex);
    }

    /// <summary>
    /// Writes the first <c>destination.Length</c> bytes (at most 2 MiB) of the content an allocated block
    /// <paramref name="blockIndex"/> has under <paramref name="seed"/>. Whether the block is allocated is not considered.
    /// </summary>
    public static void FillBlock(int seed, long blockIndex, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, DiskBlockSizes.VhdBlock, nameof(destination));
        FillRange(seed, blockIndex, 0, destination);
    }

    /// <summary>Reads bytes <c>[offset, offset + destination.Length)</c> of the generated disk (zeros where unallocated).</summary>
    public static void Read(long virtualSize, double fill, int seed, long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, virtualSize, nameof(destination));
        var allocation = new BlockAllocation(virtualSize, fill, seed);
        while (!destination.IsEmpty)
        {
            var block = offset / DiskBlockSizes.VhdBlock;
            var inBlock = (int)(offset % DiskBlockSizes.VhdBlock);
            var count = Math.Min(destination.Length, DiskBlockSizes.VhdBlock - inBlock);
            var part = destination[..count];
            if (allocation.IsAllocated(block))
            {
                FillRange(seed, block, inBlock, part);
            }
            else
            {
                part.Clear();
            }

            offset += count;
            destination = destination[count..];
        }
    }

    /// <summary>SHA-256 of the whole generated disk, computed by streaming through a pooled 1 MiB buffer.</summary>
    public static byte[] ComputeSha256(long virtualSize, double fill, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            for (long offset = 0; offset < virtualSize; offset += HashBufferSize)
            {
                var span = buffer.AsSpan(0, (int)Math.Min(HashBufferSize, virtualSize - offset));
                Read(virtualSize, fill, seed, offset, span);
                hash.AppendData(span);
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Content of an allocated block from <paramref name="offsetInBlock"/> on, for <c>destination.Length</c> bytes.</summary>
    internal static void FillRange(int seed, long blockIndex, int offsetInBlock, Span<byte> destination)
    {
        var seedKey = SplitMix.Mix((ulong)(uint)seed + 0x5851F42D4C957F2DUL);
        var subBlock = (blockIndex * DiskBlockSizes.CbtBlocksPerVhdBlock) + (offsetInBlock / DiskBlockSizes.CbtBlock);
        var inSub = offsetInBlock % DiskBlockSizes.CbtBlock;
        while (!destination.IsEmpty)
        {
            var count = Math.Min(destination.Length, DiskBlockSizes.CbtBlock - inSub);
            var part = destination[..count];
            if (inSub < RandomBytesPerSubBlock)
            {
                var randomCount = Math.Min(count, RandomBytesPerSubBlock - inSub);
                FillRandom(seedKey, subBlock, inSub, part[..randomCount]);
                part = part[randomCount..];
            }

            if (!part.IsEmpty)
            {
                FillText(seed, subBlock, Math.Max(0, inSub - RandomBytesPerSubBlock), part);
            }

            destination = destination[count..];
            subBlock++;
            inSub = 0;
        }
    }

    /// <summary>Bytes <c>[start, start + destination.Length)</c> of the sub-block's pseudo-random half.</summary>
    private static void FillRandom(ulong seedKey, long subBlock, int start, Span<byte> destination)
    {
        var key = seedKey ^ SplitMix.Mix((ulong)subBlock + SplitMix.Gamma);
        var word = start / sizeof(ulong);
        var skip = start % sizeof(ulong);
        if (skip != 0)
        {
            Span<byte> first = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(first, RandomWord(key, word));
            var take = Math.Min(destination.Length, sizeof(ulong) - skip);
            first.Slice(skip, take).CopyTo(destination);
            destination = destination[take..];
            word++;
        }

        var whole = destination.Length / sizeof(ulong);
        FillRandomWords(key, word, MemoryMarshal.Cast<byte, ulong>(destination[..(whole * sizeof(ulong))]));
        var rest = destination[(whole * sizeof(ulong))..];
        if (!rest.IsEmpty)
        {
            Span<byte> last = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(last, RandomWord(key, word + whole));
            last[..rest.Length].CopyTo(rest);
        }
    }

    private static ulong RandomWord(ulong key, long index) => SplitMix.Mix(key + ((ulong)(index + 1) * SplitMix.Gamma));

    // Hot loop: compile fully optimised at once rather than starting from unoptimised tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillRandomWords(ulong key, long firstIndex, Span<ulong> words)
    {
        var counter = key + ((ulong)firstIndex * SplitMix.Gamma);
        var i = 0;
        if (Vector256.IsHardwareAccelerated && words.Length >= Vector256<ulong>.Count)
        {
            // Four independent lanes of the same counter stream: lane j holds word i + j.
            var lanes = Vector256.Create(counter) + Vector256.Create(1UL, 2UL, 3UL, 4UL) * SplitMix.Gamma;
            var step = Vector256.Create(unchecked(4UL * SplitMix.Gamma));
            var mul1 = Vector256.Create(SplitMix.Multiplier1);
            var mul2 = Vector256.Create(SplitMix.Multiplier2);
            for (; i <= words.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                var z = lanes;
                z = (z ^ Vector256.ShiftRightLogical(z, 30)) * mul1;
                z = (z ^ Vector256.ShiftRightLogical(z, 27)) * mul2;
                z ^= Vector256.ShiftRightLogical(z, 31);
                z.StoreUnsafe(ref MemoryMarshal.GetReference(words), (nuint)i);
                lanes += step;
            }

            counter += (ulong)i * SplitMix.Gamma;
        }

        for (; i < words.Length; i++)
        {
            counter += SplitMix.Gamma;
            words[i] = SplitMix.Mix(counter);
        }

        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    /// <summary>Bytes <c>[start, start + destination.Length)</c> of the sub-block's text half: one line, repeated.</summary>
    private static void FillText(int seed, long subBlock, int start, Span<byte> destination)
    {
        Span<byte> line = stackalloc byte[160];
        var block = subBlock / DiskBlockSizes.CbtBlocksPerVhdBlock;
        var sub = subBlock % DiskBlockSizes.CbtBlocksPerVhdBlock;
        if (!Utf8.TryWrite(
                line,
                $"XapiSim generated disk, seed {seed}, block {block}, sub-block {sub}: Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n",
                out var length))
        {
            throw new InvalidOperationException("Pattern line does not fit.");
        }

        line = line[..length];
        var phase = start % length;
        var head = Math.Min(destination.Length, length - phase);
        line.Slice(phase, head).CopyTo(destination);
        destination = destination[head..];
        if (destination.IsEmpty)
        {
            return;
        }

        // From here on the text starts at a line boundary: copy one line, then keep doubling what is there.
        var filled = Math.Min(length, destination.Length);
        line[..filled].CopyTo(destination);
        while (filled < destination.Length)
        {
            var count = Math.Min(filled - (filled % length), destination.Length - filled);
            destination[..count].CopyTo(destination[filled..]);
            filled += count;
        }
    }

    private static void ValidateFill(double fill)
    {
        if (double.IsNaN(fill) || fill < 0 || fill > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fill), fill, "Fill must be within [0, 1].");
        }
    }
}
