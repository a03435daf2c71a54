using System.Globalization;

namespace VmBackup.Core.Restore;

/// <summary>How restore and health check output spells sizes.</summary>
public static class RestoreServiceText
{
    /// <summary>Bytes as MiB (or GiB from 1 GiB), one decimal, invariant culture.</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30
            ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
            : (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
