namespace XapiSim.Storage;

/// <summary>
/// A keyed bijection of <c>[0, domain)</c> onto itself without any table: a four-round balanced Feistel network over
/// the smallest even bit width covering the domain, with cycle walking back into the domain (expected fewer than four
/// walks because the width is less than four times the domain). O(1) memory and a few nanoseconds per element.
/// </summary>
internal readonly struct SeededPermutation
{
    private const int Rounds = 4;

    private readonly long domain;
    private readonly int halfBits;
    private readonly ulong halfMask;
    private readonly ulong key0;
    private readonly ulong key1;
    private readonly ulong key2;
    private readonly ulong key3;

    public SeededPermutation(long domain, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(domain);
        this.domain = domain;
        var bits = domain <= 4 ? 2 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(domain - 1));
        bits += bits & 1;
        halfBits = bits / 2;
        halfMask = (1UL << halfBits) - 1;
        key0 = SplitMix.Mix(seed + 0x243F6A8885A308D3UL);
        key1 = SplitMix.Mix(key0 + 0x13198A2E03707344UL);
        key2 = SplitMix.Mix(key1 + 0xA4093822299F31D0UL);
        key3 = SplitMix.Mix(key2 + 0x082EFA98EC4E6C89UL);
    }

    /// <summary>The image of <paramref name="value"/> (which must lie in the domain) under the permutation.</summary>
    public long Apply(long value)
    {
        if ((ulong)value >= (ulong)domain)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var v = (ulong)value;
        do
        {
            v = Encrypt(v);
        }
        while (v >= (ulong)domain);
        return (long)v;
    }

    private ulong Encrypt(ulong v)
    {
        var left = v >> halfBits;
        var right = v & halfMask;
        for (var round = 0; round < Rounds; round++)
        {
            var key = round switch { 0 => key0, 1 => key1, 2 => key2, _ => key3 };
            var next = left ^ (SplitMix.Mix(right ^ key) & halfMask);
            left = right;
            right = next;
        }

        return (left << halfBits) | right;
    }
}
