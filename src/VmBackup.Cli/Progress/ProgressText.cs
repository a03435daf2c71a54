using System.Globalization;

namespace VmBackup.Cli.Progress;

/// <summary>Number formats of the progress output (binary units, invariant culture).</summary>
internal static class ProgressText
{
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static double Rate(long bytes, TimeSpan elapsed) => elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;

    public static string BytesPerSecond(double rate) => Bytes((long)rate) + "/s";

    public static string MiBPerSecond(double rate) => (rate / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB/s";

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes:00}:{span.Seconds:00}");
}
