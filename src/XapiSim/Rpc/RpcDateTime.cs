using System.Globalization;

namespace XapiSim.Rpc;

/// <summary>XAPI's datetime text, <c>YYYYMMDDTHH:MM:SSZ</c> (UTC), used by both XML-RPC and JSON-RPC.</summary>
internal static class RpcDateTime
{
    private static readonly string[] AcceptedFormats =
    [
        "yyyyMMdd'T'HH:mm:ss'Z'",
        "yyyyMMdd'T'HH:mm:ss",
        "yyyyMMdd'T'HHmmss'Z'",
        "yyyyMMdd'T'HHmmss",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Formats as UTC; an <see cref="DateTimeKind.Unspecified"/> value is taken as UTC already.</summary>
    public static string Format(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses XAPI's format (and the dashed ISO variant, with or without <c>Z</c>) as a UTC <see cref="DateTime"/>.</summary>
    public static bool TryParse(string text, out DateTime value)
        => DateTime.TryParseExact(
            text.Trim(),
            AcceptedFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
            out value);
}
