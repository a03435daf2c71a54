using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace VmBackup.Xapi.Values;

/// <summary>
/// Converts a decoded wire value (the raw model: <see langword="null"/>, <see cref="string"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="DateTime"/>, <c>byte[]</c>, <c>object?[]</c>,
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>) to the type XAPI declares. Tolerates the differences between
/// the protocols: XML-RPC sends int64 as bare strings, JSON-RPC sends datetimes as strings and may send 1.0 as 1.
/// </summary>
internal static class XenValueConverter
{
    private static readonly ConcurrentDictionary<Type, Func<object?, object?>> Converters = new();

    public static T Convert<T>(object? raw) => (T)GetConverter(typeof(T))(raw)!;

    public static object? Convert(object? raw, Type target) => GetConverter(target)(raw);

    public static Func<object?, object?> GetConverter(Type target) => Converters.GetOrAdd(target, Build);

    public static string ToText(object? raw) => raw switch
    {
        null => string.Empty,
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => XenDateTime.Format(t),
        _ => throw Mismatch(raw, "string"),
    };

    public static long ToInt64(object? raw) => raw switch
    {
        null => 0,
        long l => l,
        double d when Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue => (long)d,
        string s when s.Length == 0 => 0,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Mismatch(raw, "int64"),
    };

    public static double ToDouble(object? raw) => raw switch
    {
        null => 0,
        double d => d,
        long l => l,
        string s when s.Length == 0 => 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Mismatch(raw, "float"),
    };

    public static bool ToBoolean(object? raw) => raw switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        string s when s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        string s when s is "0" or "" || s.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw Mismatch(raw, "bool"),
    };

    public static DateTime ToDateTime(object? raw) => raw switch
    {
        null => DateTime.UnixEpoch,
        DateTime t => t,
        string s when s.Length == 0 => DateTime.UnixEpoch,
        string s when XenDateTime.TryParse(s, out var t) => t,
        _ => throw Mismatch(raw, "datetime"),
    };

    public static byte[] ToBytes(object? raw) => raw switch
    {
        null => [],
        byte[] b => b,
        string s => System.Convert.FromBase64String(s),
        _ => throw Mismatch(raw, "base64"),
    };

    public static IReadOnlyDictionary<string, object?> ToStruct(object? raw) => raw switch
    {
        null => new Dictionary<string, object?>(),
        string s when s.Length == 0 => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> d => d,
        _ => throw Mismatch(raw, "struct"),
    };

    public static IReadOnlyList<object?> ToArray(object? raw) => raw switch
    {
        null => [],
        string s when s.Length == 0 => [],
        IReadOnlyList<object?> a => a,
        _ => throw Mismatch(raw, "array"),
    };

    /// <summary>Describes a value's shape without its content (content may be sensitive).</summary>
    public static string Describe(object? raw) => raw switch
    {
        null => "nothing",
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        DateTime => "a datetime",
        byte[] => "base64 data",
        IReadOnlyDictionary<string, object?> => "a struct",
        IReadOnlyList<object?> => "an array",
        _ => raw.GetType().Name,
    };

    private static InvalidDataException Mismatch(object? raw, string expected) =>
        new("XAPI sent " + Describe(raw) + " where " + expected + " was expected.");

    private static Func<object?, object?> Build(Type target)
    {
        if (target == typeof(object))
        {
            return raw => raw;
        }

        if (target == typeof(string))
        {
            return ToText;
        }

        if (target == typeof(long))
        {
            return raw => ToInt64(raw);
        }

        if (target == typeof(int))
        {
            return raw => checked((int)ToInt64(raw));
        }

        if (target == typeof(double))
        {
            return raw => ToDouble(raw);
        }

        if (target == typeof(bool))
        {
            return raw => ToBoolean(raw);
        }

        if (target == typeof(DateTime))
        {
            return raw => ToDateTime(raw);
        }

        if (target == typeof(byte[]))
        {
            return ToBytes;
        }

        if (target.IsEnum)
        {
            return raw => XenEnumNames.Parse(target, ToText(raw));
        }

        if (Nullable.GetUnderlyingType(target) is { } underlying)
        {
            var inner = GetConverter(underlying);
            return raw => raw is null ? null : inner(raw);
        }

        if (target == typeof(IReadOnlyDictionary<string, object?>))
        {
            return ToStruct;
        }

        if (target.IsArray)
        {
            return Invoke(nameof(BuildArray), target.GetElementType()!);
        }

        if (target.IsGenericType)
        {
            var definition = target.GetGenericTypeDefinition();
            var args = target.GetGenericArguments();
            if (definition == typeof(XenRef<>))
            {
                return Invoke(nameof(BuildRef), args);
            }

            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>)
                || definition == typeof(ICollection<>))
            {
                return Invoke(nameof(BuildList), args);
            }

            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)
                || definition == typeof(Dictionary<,>))
            {
                return Invoke(nameof(BuildDictionary), args);
            }
        }

        var recordInterface = typeof(IXenApiRecord<>).MakeGenericType(target);
        if (recordInterface.IsAssignableFrom(target))
        {
            return Invoke(nameof(BuildRecord), target);
        }

        throw new NotSupportedException("XAPI values cannot be converted to " + target.Name + ".");
    }

    private static Func<object?, object?> Invoke(string factory, params Type[] typeArguments)
    {
        var method = typeof(XenValueConverter).GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!;
        return (Func<object?, object?>)method.MakeGenericMethod(typeArguments).Invoke(null, null)!;
    }

    private static Func<object?, object?> BuildRef<T>()
        where T : IXenApiRecord<T> => raw => new XenRef<T>(ToText(raw));

    private static Func<object?, object?> BuildRecord<T>()
        where T : IXenApiRecord<T> => raw => T.FromStruct(ToStruct(raw));

    private static Func<object?, object?> BuildArray<T>()
    {
        var element = GetConverter(typeof(T));
        return raw =>
        {
            var items = ToArray(raw);
            var result = new T[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                result[i] = (T)element(items[i])!;
            }

            return result;
        };
    }

    private static Func<object?, object?> BuildList<T>()
    {
        var array = BuildArray<T>();
        return raw => new List<T>((T[])array(raw)!);
    }

    private static Func<object?, object?> BuildDictionary<TKey, TValue>()
        where TKey : notnull
    {
        var key = GetConverter(typeof(TKey));
        var value = GetConverter(typeof(TValue));
        return raw =>
        {
            var source = ToStruct(raw);
            var result = new Dictionary<TKey, TValue>(source.Count);
            foreach (var (k, v) in source)
            {
                result[(TKey)key(k)!] = (TValue)value(v)!;
            }

            return result;
        };
    }
}
