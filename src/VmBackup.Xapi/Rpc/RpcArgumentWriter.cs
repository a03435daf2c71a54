using System.Collections;
using System.Globalization;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Rpc;

/// <summary>
/// Normalises call arguments to the wire model both codecs write: string, long, double, bool, DateTime, byte[],
/// list, string-keyed map. Refs become their opaque string, enums their XAPI spelling, <see langword="null"/> the
/// empty string (XAPI has no nil).
/// </summary>
internal static class RpcArgumentWriter
{
    public static object Normalise(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IXenRef r => r.OpaqueRef,
        Enum e => XenEnumNames.ToWire(e),
        bool b => b,
        long l => l,
        int i => (long)i,
        short s => (long)s,
        uint u => (long)u,
        ulong u => checked((long)u),
        byte b => (long)b,
        double d => d,
        float f => (double)f,
        decimal m => (double)m,
        DateTime t => t,
        DateTimeOffset t => t.UtcDateTime,
        byte[] bytes => bytes,
        IDictionary map => NormaliseMap(map),
        IEnumerable list => NormaliseList(list),
        _ => throw new NotSupportedException("A " + value.GetType().Name + " cannot be sent to XAPI."),
    };

    public static string KeyText(object key) => key switch
    {
        string s => s,
        IXenRef r => r.OpaqueRef,
        Enum e => XenEnumNames.ToWire(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    private static List<KeyValuePair<string, object>> NormaliseMap(IDictionary map)
    {
        var result = new List<KeyValuePair<string, object>>(map.Count);
        foreach (DictionaryEntry entry in map)
        {
            result.Add(new KeyValuePair<string, object>(KeyText(entry.Key), Normalise(entry.Value)));
        }

        return result;
    }

    private static List<object> NormaliseList(IEnumerable list)
    {
        var result = new List<object>();
        foreach (var item in list)
        {
            result.Add(Normalise(item));
        }

        return result;
    }
}
