using System.Globalization;

namespace XapiSim.Model.Schema;

/// <summary>
/// A parsed XenAPI type such as <c>int</c>, <c>VM ref set</c> or <c>(string -> enum vm_operations) map</c>.
/// Knows the type's default value and how to coerce a decoded wire value into the simulator's representation.
/// </summary>
internal sealed class XapiType
{
    private XapiType(XapiTypeKind kind, string text, string? name = null, XapiType? element = null, XapiType? key = null)
    {
        Kind = kind;
        Text = text;
        Name = name;
        Element = element;
        Key = key;
    }

    public XapiTypeKind Kind { get; }

    /// <summary>The type as the datamodel writes it.</summary>
    public string Text { get; }

    /// <summary>The class of a ref or record, or the enum's name.</summary>
    public string? Name { get; }

    /// <summary>The element of a set or option, the value of a map.</summary>
    public XapiType? Element { get; }

    /// <summary>The key of a map.</summary>
    public XapiType? Key { get; }

    public static XapiType Parse(string text)
    {
        var t = text.Trim();
        if (t.EndsWith(" set", StringComparison.Ordinal))
        {
            return new XapiType(XapiTypeKind.Set, t, element: Parse(t[..^4]));
        }

        if (t.EndsWith(" option", StringComparison.Ordinal))
        {
            return new XapiType(XapiTypeKind.Option, t, element: Parse(t[..^7]));
        }

        if (t.EndsWith(" map", StringComparison.Ordinal) && t.StartsWith('('))
        {
            var inner = t[1..t.LastIndexOf(')')];
            var arrow = inner.IndexOf(" -> ", StringComparison.Ordinal);
            return new XapiType(XapiTypeKind.Map, t, key: Parse(inner[..arrow]), element: Parse(inner[(arrow + 4)..]));
        }

        if (t.EndsWith(" ref", StringComparison.Ordinal))
        {
            return new XapiType(XapiTypeKind.Ref, t, name: t[..^4]);
        }

        if (t.EndsWith(" record", StringComparison.Ordinal))
        {
            return new XapiType(XapiTypeKind.Record, t, name: t[..^7]);
        }

        if (t.StartsWith("enum ", StringComparison.Ordinal))
        {
            return new XapiType(XapiTypeKind.Enum, t, name: t[5..]);
        }

        return t switch
        {
            "string" => new XapiType(XapiTypeKind.String, t),
            "int" => new XapiType(XapiTypeKind.Int, t),
            "float" => new XapiType(XapiTypeKind.Float, t),
            "bool" => new XapiType(XapiTypeKind.Bool, t),
            "datetime" => new XapiType(XapiTypeKind.DateTime, t),
            "void" => new XapiType(XapiTypeKind.Void, t),
            _ => new XapiType(XapiTypeKind.Other, t),
        };
    }

    /// <summary>The value a field of this type has when nothing else is known.</summary>
    public object DefaultValue(IReadOnlyDictionary<string, IReadOnlyList<string>> enums) => Kind switch
    {
        XapiTypeKind.Int => 0L,
        XapiTypeKind.Float => 0.0,
        XapiTypeKind.Bool => false,
        XapiTypeKind.DateTime => XapiValues.Epoch,
        XapiTypeKind.Ref => XapiValues.NullRef,
        XapiTypeKind.Enum => enums.TryGetValue(Name!, out var values) && values.Count > 0 ? values[0] : string.Empty,
        XapiTypeKind.Set => new List<object>(),
        XapiTypeKind.Map => new Dictionary<string, object>(),
        XapiTypeKind.Record => new Dictionary<string, object>(),
        _ => string.Empty,
    };

    /// <summary>
    /// Converts a datamodel default (as written in the API description, e.g. <c>{}</c>, <c>""</c>, <c>1.</c>,
    /// <c>OpaqueRef:NULL</c>) into a value, falling back to <see cref="DefaultValue"/>.
    /// </summary>
    public object ParseDefault(string? text, IReadOnlyDictionary<string, IReadOnlyList<string>> enums)
    {
        if (text is null || text == "~")
        {
            return DefaultValue(enums);
        }

        try
        {
            switch (Kind)
            {
                case XapiTypeKind.String:
                    return text.Length >= 2 && text[0] == '"' ? text[1..^1] : text;
                case XapiTypeKind.Int:
                    return long.Parse(text, CultureInfo.InvariantCulture);
                case XapiTypeKind.Float:
                    return double.Parse(text.EndsWith('.') ? text + "0" : text, CultureInfo.InvariantCulture);
                case XapiTypeKind.Bool:
                    return text == "true";
                case XapiTypeKind.DateTime:
                    return XapiValues.ParseDateTime(text) ?? XapiValues.Epoch;
                case XapiTypeKind.Ref:
                    return text == "Null" ? XapiValues.NullRef : text;
                case XapiTypeKind.Enum:
                    return text;
                default:
                    return DefaultValue(enums);
            }
        }
        catch (FormatException)
        {
            return DefaultValue(enums);
        }
    }

    /// <summary>
    /// Coerces a decoded wire value to this type (XML-RPC ints arrive as strings). Returns false if it cannot.
    /// Sets become <see cref="List{T}"/> and maps <see cref="Dictionary{TKey, TValue}"/>.
    /// </summary>
    public bool TryCoerce(object? value, out object result)
    {
        result = string.Empty;
        switch (Kind)
        {
            case XapiTypeKind.String:
            case XapiTypeKind.Enum:
            case XapiTypeKind.Ref:
            case XapiTypeKind.Other:
                if (value is string s)
                {
                    result = s;
                    return true;
                }

                return false;
            case XapiTypeKind.Int:
                switch (value)
                {
                    case long l:
                        result = l;
                        return true;
                    case int i:
                        result = (long)i;
                        return true;
                    case double d when d == Math.Floor(d):
                        result = (long)d;
                        return true;
                    case string str when long.TryParse(str, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                        result = parsed;
                        return true;
                    default:
                        return false;
                }

            case XapiTypeKind.Float:
                switch (value)
                {
                    case double d:
                        result = d;
                        return true;
                    case long l:
                        result = (double)l;
                        return true;
                    case int i:
                        result = (double)i;
                        return true;
                    case string str when double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                        result = parsed;
                        return true;
                    default:
                        return false;
                }

            case XapiTypeKind.Bool:
                switch (value)
                {
                    case bool b:
                        result = b;
                        return true;
                    case string str when str is "true" or "1" or "false" or "0":
                        result = str is "true" or "1";
                        return true;
                    default:
                        return false;
                }

            case XapiTypeKind.DateTime:
                switch (value)
                {
                    case DateTime dt:
                        result = dt;
                        return true;
                    case string str when XapiValues.ParseDateTime(str) is { } parsed:
                        result = parsed;
                        return true;
                    default:
                        return false;
                }

            case XapiTypeKind.Set:
                if (value is IReadOnlyList<object> list)
                {
                    var items = new List<object>(list.Count);
                    foreach (var item in list)
                    {
                        if (!Element!.TryCoerce(item, out var coerced))
                        {
                            return false;
                        }

                        items.Add(coerced);
                    }

                    result = items;
                    return true;
                }

                return false;
            case XapiTypeKind.Map:
                if (value is IReadOnlyDictionary<string, object> map)
                {
                    var entries = new Dictionary<string, object>(map.Count);
                    foreach (var (k, v) in map)
                    {
                        if (!Element!.TryCoerce(v, out var coerced))
                        {
                            return false;
                        }

                        entries[k] = coerced;
                    }

                    result = entries;
                    return true;
                }

                return false;
            case XapiTypeKind.Record:
                if (value is IReadOnlyDictionary<string, object> record)
                {
                    result = record;
                    return true;
                }

                return false;
            default:
                result = value ?? string.Empty;
                return true;
        }
    }

    public override string ToString() => Text;
}
