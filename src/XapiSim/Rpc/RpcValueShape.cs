using System.Collections;

namespace XapiSim.Rpc;

/// <summary>Recognises the map and set shapes a dispatcher may return, beyond the exact seam interfaces.</summary>
internal static class RpcValueShape
{
    /// <summary>Maps: <see cref="IReadOnlyDictionary{TKey, TValue}"/> of string to object, or any non-generic <see cref="IDictionary"/> (e.g. <c>Dictionary&lt;string, string&gt;</c>), in enumeration order.</summary>
    public static bool TryGetMap(object value, out IEnumerable<KeyValuePair<string, object>> members)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object> map:
                members = map;
                return true;
            case IDictionary dictionary:
                members = Enumerate(dictionary);
                return true;
            default:
                members = [];
                return false;
        }

        static IEnumerable<KeyValuePair<string, object>> Enumerate(IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new KeyValuePair<string, object>(
                    entry.Key as string ?? throw new NotSupportedException("Map keys must be strings."),
                    entry.Value ?? RpcNil.Instance);
            }
        }
    }

    /// <summary>Sets: any enumerable that is not a string, map or byte array.</summary>
    public static bool TryGetSet(object value, out IEnumerable<object> items)
    {
        if (value is IEnumerable enumerable and not string and not byte[] and not IDictionary)
        {
            items = enumerable.Cast<object?>().Select(item => item ?? RpcNil.Instance);
            return true;
        }

        items = [];
        return false;
    }

    /// <summary>Integers other than <c>int</c> that are written like <c>long</c>.</summary>
    public static bool TryGetInteger(object value, out string text)
    {
        text = value switch
        {
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            short or ushort or byte or sbyte or uint or ulong => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
            _ => string.Empty,
        };
        return text.Length > 0;
    }
}
