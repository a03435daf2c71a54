using System.Collections.Concurrent;
using System.Reflection;

namespace VmBackup.Xapi.Values;

/// <summary>Maps enum members to and from their XAPI wire spelling (<see cref="XenApiNameAttribute"/>).</summary>
internal static class XenEnumNames
{
    private static readonly ConcurrentDictionary<Type, EnumMap> Maps = new();

    /// <summary>The wire spelling of <paramref name="value"/>: its attribute, else its lower-case name.</summary>
    public static string ToWire(Enum value)
    {
        var map = Maps.GetOrAdd(value.GetType(), Build);
        return map.ToWire.TryGetValue(value, out var wire) ? wire : value.ToString().ToLowerInvariant();
    }

    /// <summary>Parses a wire spelling: exact match first, then case- and underscore-insensitive; unknown → 0 (<c>Unknown</c>).</summary>
    public static object Parse(Type enumType, string wire)
    {
        var map = Maps.GetOrAdd(enumType, Build);
        if (map.Exact.TryGetValue(wire, out var exact))
        {
            return exact;
        }

        return map.Loose.TryGetValue(Normalise(wire), out var loose) ? loose : Enum.ToObject(enumType, 0);
    }

    private static EnumMap Build(Type enumType)
    {
        var toWire = new Dictionary<Enum, string>();
        var exact = new Dictionary<string, Enum>(StringComparer.Ordinal);
        var loose = new Dictionary<string, Enum>(StringComparer.Ordinal);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (Enum)field.GetValue(null)!;
            var wire = field.GetCustomAttribute<XenApiNameAttribute>()?.Name;
            if (wire is null)
            {
                continue;
            }

            toWire[value] = wire;
            exact[wire] = value;
            loose.TryAdd(Normalise(wire), value);
            loose.TryAdd(Normalise(field.Name), value);
        }

        return new EnumMap(toWire, exact, loose);
    }

    private static string Normalise(string text) => text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private sealed record EnumMap(
        Dictionary<Enum, string> ToWire,
        Dictionary<string, Enum> Exact,
        Dictionary<string, Enum> Loose);
}
