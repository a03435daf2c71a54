using System.Globalization;

namespace VmBackup.Formats.XmlRpc;

/// <summary>
/// An immutable XML-RPC value as XAPI encodes it (§1.2): strings bare, int64 as bare decimal strings, booleans,
/// doubles, UTC date-times, arrays and structs (member order preserved).
/// </summary>
public sealed class XmlRpcValue
{
    private static readonly IReadOnlyList<XmlRpcValue> NoItems = [];
    private static readonly IReadOnlyList<KeyValuePair<string, XmlRpcValue>> NoMembers = [];

    private XmlRpcValue(XmlRpcKind kind)
    {
        Kind = kind;
    }

    /// <summary>The value's type.</summary>
    public XmlRpcKind Kind { get; }

    /// <summary>Text of a <see cref="XmlRpcKind.String"/> value (empty otherwise).</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>Number of an <see cref="XmlRpcKind.Int"/> value.</summary>
    public long Integer { get; private init; }

    /// <summary>Value of a <see cref="XmlRpcKind.Boolean"/>.</summary>
    public bool Boolean { get; private init; }

    /// <summary>Value of a <see cref="XmlRpcKind.Double"/>.</summary>
    public double Double { get; private init; }

    /// <summary>Value of a <see cref="XmlRpcKind.DateTime"/> (UTC).</summary>
    public DateTime DateTime { get; private init; }

    /// <summary>Items of an <see cref="XmlRpcKind.Array"/> (empty otherwise).</summary>
    public IReadOnlyList<XmlRpcValue> Items { get; private init; } = NoItems;

    /// <summary>Members of a <see cref="XmlRpcKind.Struct"/> in document order (empty otherwise).</summary>
    public IReadOnlyList<KeyValuePair<string, XmlRpcValue>> Members { get; private init; } = NoMembers;

    /// <summary>A bare string (also used for enums and refs).</summary>
    public static XmlRpcValue FromString(string text) => new(XmlRpcKind.String) { Text = text ?? throw new ArgumentNullException(nameof(text)) };

    /// <summary>An int64 the way XAPI sends it: a bare decimal string.</summary>
    public static XmlRpcValue FromInt64(long value) => FromString(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A tagged integer (<c>&lt;i4&gt;</c>).</summary>
    public static XmlRpcValue FromTaggedInt(long value) => new(XmlRpcKind.Int) { Integer = value };

    /// <summary>A boolean.</summary>
    public static XmlRpcValue FromBoolean(bool value) => new(XmlRpcKind.Boolean) { Boolean = value };

    /// <summary>A double.</summary>
    public static XmlRpcValue FromDouble(double value) => new(XmlRpcKind.Double) { Double = value };

    /// <summary>A date-time; converted to UTC and truncated to whole seconds.</summary>
    public static XmlRpcValue FromDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new(XmlRpcKind.DateTime) { DateTime = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc) };
    }

    /// <summary>An array.</summary>
    public static XmlRpcValue FromArray(IEnumerable<XmlRpcValue> items) => new(XmlRpcKind.Array) { Items = items.ToArray() };

    /// <summary>A struct; member order is kept. Duplicate names are rejected.</summary>
    public static XmlRpcValue FromStruct(IEnumerable<KeyValuePair<string, XmlRpcValue>> members)
    {
        var list = members.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in list)
        {
            if (!seen.Add(member.Key))
            {
                throw new ArgumentException($"duplicate struct member '{member.Key}'", nameof(members));
            }
        }

        return new(XmlRpcKind.Struct) { Members = list };
    }

    /// <summary>A struct from (name, value) pairs.</summary>
    public static XmlRpcValue FromStruct(params (string Name, XmlRpcValue Value)[] members) =>
        FromStruct(members.Select(m => new KeyValuePair<string, XmlRpcValue>(m.Name, m.Value)));

    /// <summary>Returns the member named <paramref name="name"/> of a struct, or null.</summary>
    public XmlRpcValue? this[string name]
    {
        get
        {
            foreach (var member in Members)
            {
                if (member.Key == name)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The text of a string value; throws <see cref="FormatException"/> for other kinds.</summary>
    public string AsString() => Kind == XmlRpcKind.String ? Text : throw new FormatException($"expected an XML-RPC string, found {Kind}");

    /// <summary>An int64 from either a bare decimal string (XAPI) or a tagged integer.</summary>
    public long AsInt64() => Kind switch
    {
        XmlRpcKind.Int => Integer,
        XmlRpcKind.String when long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new FormatException($"expected an XML-RPC int64, found {Kind} '{Text}'"),
    };

    /// <summary>A boolean value (also accepts the strings "true"/"false").</summary>
    public bool AsBoolean() => Kind switch
    {
        XmlRpcKind.Boolean => Boolean,
        XmlRpcKind.String when bool.TryParse(Text, out var b) => b,
        _ => throw new FormatException($"expected an XML-RPC boolean, found {Kind}"),
    };

    /// <summary>Strings of an array of strings (refs, for example).</summary>
    public IReadOnlyList<string> AsStringArray() => Kind == XmlRpcKind.Array
        ? Items.Select(i => i.AsString()).ToArray()
        : throw new FormatException($"expected an XML-RPC array, found {Kind}");

    /// <summary>Returns a copy of this struct with member <paramref name="name"/> replaced (or appended).</summary>
    public XmlRpcValue WithMember(string name, XmlRpcValue value)
    {
        if (Kind != XmlRpcKind.Struct)
        {
            throw new InvalidOperationException($"WithMember needs a struct, this is {Kind}");
        }

        var replaced = false;
        var members = new List<KeyValuePair<string, XmlRpcValue>>(Members.Count + 1);
        foreach (var member in Members)
        {
            if (member.Key == name)
            {
                members.Add(new(name, value));
                replaced = true;
            }
            else
            {
                members.Add(member);
            }
        }

        if (!replaced)
        {
            members.Add(new(name, value));
        }

        return new(XmlRpcKind.Struct) { Members = members };
    }

    /// <inheritdoc />
    public override string ToString() => XmlRpcValueWriter.ToXml(this);
}
