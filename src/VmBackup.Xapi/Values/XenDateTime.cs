using System.Globalization;

namespace VmBackup.Xapi.Values;

/// <summary>XAPI's datetime text form, <c>YYYYMMDDTHH:MM:SSZ</c> (UTC), used by XML-RPC and as a JSON-RPC string.</summary>
internal static class XenDateTime
{
    private static readonly string[] Formats =
    [
        "yyyyMMdd'T'HH:mm:ss'Z'",
        "yyyyMMdd'T'HH:mm:ss",
        "yyyyMMdd'T'HHmmss'Z'",
        "yyyyMMdd'T'HHmmss",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    /// <summary>Formats a UTC (or unspecified, taken as UTC) time; local times are converted to UTC first.</summary>
    public static string Format(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses XAPI's forms (and ISO 8601); the result is UTC.</summary>
    public static bool TryParse(string text, out DateTime value)
    {
        if (DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            return true;
        }

        return false;
    }
}
