using System.Globalization;
using VmBackup.Formats.XmlRpc;
using XapiSim.Model.Schema;

namespace XapiSim.DataPlane;

/// <summary>Converts database values to ova.xml's XML-RPC values and back (coerced to the datamodel field types).</summary>
internal static class RecordConversion
{
    /// <summary>A database value (string, long, bool, double, DateTime, list, map) as XAPI writes it in ova.xml.</summary>
    public static XmlRpcValue ToXmlRpc(object value) => value switch
    {
        string s => XmlRpcValue.FromString(s),
        long l => XmlRpcValue.FromInt64(l),
        int i => XmlRpcValue.FromInt64(i),
        bool b => XmlRpcValue.FromBoolean(b),
        double d => XmlRpcValue.FromDouble(d),
        DateTime dt => XmlRpcValue.FromDateTime(dt),
        IReadOnlyDictionary<string, object> map => XmlRpcValue.FromStruct(map.Select(kv => new KeyValuePair<string, XmlRpcValue>(kv.Key, ToXmlRpc(kv.Value)))),
        IReadOnlyList<object> list => XmlRpcValue.FromArray(list.Select(ToXmlRpc)),
        _ => XmlRpcValue.FromString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>An XML-RPC value as a plain object (ints stay strings; the field type decides later).</summary>
    public static object FromXmlRpc(XmlRpcValue value) => value.Kind switch
    {
        XmlRpcKind.String => value.Text,
        XmlRpcKind.Int => value.Integer,
        XmlRpcKind.Boolean => value.Boolean,
        XmlRpcKind.Double => value.Double,
        XmlRpcKind.DateTime => value.DateTime,
        XmlRpcKind.Array => value.Items.Select(FromXmlRpc).ToList(),
        XmlRpcKind.Struct => value.Members.ToDictionary(m => m.Key, m => FromXmlRpc(m.Value), StringComparer.Ordinal),
        _ => value.Text,
    };

    /// <summary>
    /// The members of an ova.xml record that are stored fields of <paramref name="className"/>, coerced to their types;
    /// unknown members and values that do not fit are dropped (the datamodel default stays).
    /// </summary>
    public static Dictionary<string, object> ToFields(string className, XmlRpcValue record)
    {
        var schema = Datamodel.Instance[className];
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in record.Members)
        {
            if (schema.FindField(name) is { } field && field.Type.TryCoerce(FromXmlRpc(value), out var coerced))
            {
                fields[name] = coerced;
            }
        }

        return fields;
    }
}
