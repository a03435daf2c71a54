namespace XapiSim.Storage;

/// <summary>The splitmix64 finaliser and counter stream: a fast, seekable, well-mixed source of deterministic bits.</summary>
internal static class SplitMix
{
    /// <summary>The golden-ratio increment of the splitmix64 counter.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>First multiplier of the output function.</summary>
    public const ulong Multiplier1 = 0xBF58476D1CE4E5B9UL;

    /// <summary>Second multiplier of the output function.</summary>
    public const ulong Multiplier2 = 0x94D049BB133111EBUL;

    /// <summary>The splitmix64 output function applied to <paramref name="z"/>.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * Multiplier1;
        z = (z ^ (z >> 27)) * Multiplier2;
        return z ^ (z >> 31);
    }
}
