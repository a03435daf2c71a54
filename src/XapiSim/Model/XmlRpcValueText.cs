using System.Globalization;
using System.Security;
using System.Text;

namespace XapiSim.Model;

/// <summary>
/// Writes a value as an XML-RPC <c>&lt;value&gt;</c> element, the form XAPI stores in <c>task.result</c>
/// whatever protocol the client uses (e.g. <c>&lt;value&gt;OpaqueRef:…&lt;/value&gt;</c>; void is the empty string).
/// </summary>
internal static class XmlRpcValueText
{
    public static string Serialize(object? value)
    {
        if (value is null or Rpc.RpcVoid)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object value)
    {
        builder.Append("<value>");
        switch (value)
        {
            case string s:
                builder.Append(SecurityElement.Escape(s));
                break;
            case long or int:
                builder.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case bool b:
                builder.Append("<boolean>").Append(b ? '1' : '0').Append("</boolean>");
                break;
            case double d:
                builder.Append("<double>").Append(d.ToString("G16", CultureInfo.InvariantCulture)).Append("</double>");
                break;
            case DateTime dt:
                builder.Append("<dateTime.iso8601>").Append(dt.ToUniversalTime().ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("</dateTime.iso8601>");
                break;
            case IReadOnlyDictionary<string, object> map:
                builder.Append("<struct>");
                foreach (var (k, v) in map)
                {
                    builder.Append("<member><name>").Append(SecurityElement.Escape(k)).Append("</name>");
                    Write(builder, v);
                    builder.Append("</member>");
                }

                builder.Append("</struct>");
                break;
            case IReadOnlyList<object> list:
                builder.Append("<array><data>");
                foreach (var item in list)
                {
                    Write(builder, item);
                }

                builder.Append("</data></array>");
                break;
            default:
                builder.Append(SecurityElement.Escape(Convert.ToString(value, CultureInfo.InvariantCulture)));
                break;
        }

        builder.Append("</value>");
    }
}
