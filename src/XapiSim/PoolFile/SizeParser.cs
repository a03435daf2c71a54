using System.Globalization;

namespace XapiSim.PoolFile;

/// <summary>Parses sizes: a number of bytes, or text such as <c>500GiB</c>, <c>2 GiB</c>, <c>512MiB</c>, <c>1TiB</c>, <c>64MB</c>.</summary>
public static class SizeParser
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1000L), ("MB", 1000_000L), ("GB", 1000_000_000L), ("TB", 1000_000_000_000L),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("T", 1L << 40), ("B", 1L),
    ];

    /// <summary>The size in bytes, or null if the text is not a size.</summary>
    public static long? TryParse(string text)
    {
        var t = text.Trim();
        foreach (var (suffix, factor) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                var number = t[..^suffix.Length].Trim();
                return decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0
                    ? (long)(value * factor)
                    : null;
            }
        }

        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
    }
}
