using System.Globalization;

namespace XapiSim.Model.Schema;

/// <summary>Constants and helpers for values as XAPI writes them.</summary>
internal static class XapiValues
{
    /// <summary>The null reference.</summary>
    public const string NullRef = "OpaqueRef:NULL";

    /// <summary>XAPI's "no date": 1970-01-01T00:00:00Z.</summary>
    public static DateTime Epoch { get; } = DateTime.UnixEpoch;

    private static readonly string[] DateFormats =
    [
        "yyyyMMdd'T'HH:mm:ss'Z'",
        "yyyyMMdd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyyMMdd'T'HHmmss'Z'",
    ];

    /// <summary>Parses the date forms XAPI accepts, as UTC. Null if none matches.</summary>
    public static DateTime? ParseDateTime(string text)
        => DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? DateTime.SpecifyKind(value, DateTimeKind.Utc)
            : null;

    /// <summary>A new reference, <c>OpaqueRef:&lt;uuid&gt;</c>.</summary>
    public static string NewRef() => "OpaqueRef:" + Guid.NewGuid().ToString("D");

    /// <summary>A new lower-case uuid.</summary>
    public static string NewUuid() => Guid.NewGuid().ToString("D");

    /// <summary>True for a null or empty reference.</summary>
    public static bool IsNull(string? reference) => string.IsNullOrEmpty(reference) || reference == NullRef;

    /// <summary>Deep-copies a stored value so that callers never share the database's mutable collections.</summary>
    public static object Copy(object value) => value switch
    {
        List<object> list => list.Select(Copy).ToList(),
        Dictionary<string, object> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value)),
        IReadOnlyList<object> list => list.Select(Copy).ToList(),
        IReadOnlyDictionary<string, object> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value)),
        _ => value,
    };
}
