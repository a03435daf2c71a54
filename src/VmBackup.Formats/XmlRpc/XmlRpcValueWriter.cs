using System.Globalization;
using System.Text;

namespace VmBackup.Formats.XmlRpc;

/// <summary>Serialises <see cref="XmlRpcValue"/> exactly the way XAPI does (§1.2), without whitespace or declaration.</summary>
public static class XmlRpcValueWriter
{
    /// <summary>Returns the <c>&lt;value&gt;…&lt;/value&gt;</c> text of <paramref name="value"/>.</summary>
    public static string ToXml(XmlRpcValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends the <c>&lt;value&gt;…&lt;/value&gt;</c> text of <paramref name="value"/> to <paramref name="sb"/>.</summary>
    public static void Write(StringBuilder sb, XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(value);
        sb.Append("<value>");
        switch (value.Kind)
        {
            case XmlRpcKind.String:
                AppendEscaped(sb, value.Text);
                break;
            case XmlRpcKind.Int:
                sb.Append("<i4>").Append(value.Integer.ToString(CultureInfo.InvariantCulture)).Append("</i4>");
                break;
            case XmlRpcKind.Boolean:
                sb.Append("<boolean>").Append(value.Boolean ? '1' : '0').Append("</boolean>");
                break;
            case XmlRpcKind.Double:
                sb.Append("<double>").Append(value.Double.ToString("G16", CultureInfo.InvariantCulture)).Append("</double>");
                break;
            case XmlRpcKind.DateTime:
                sb.Append("<dateTime.iso8601>").Append(value.DateTime.ToString("yyyyMMdd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture)).Append("</dateTime.iso8601>");
                break;
            case XmlRpcKind.Array:
                sb.Append("<array><data>");
                foreach (var item in value.Items)
                {
                    Write(sb, item);
                }

                sb.Append("</data></array>");
                break;
            case XmlRpcKind.Struct:
                sb.Append("<struct>");
                foreach (var member in value.Members)
                {
                    sb.Append("<member><name>");
                    AppendEscaped(sb, member.Key);
                    sb.Append("</name>");
                    Write(sb, member.Value);
                    sb.Append("</member>");
                }

                sb.Append("</struct>");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "unknown XML-RPC kind");
        }

        sb.Append("</value>");
    }

    private static void AppendEscaped(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ': break; // XAPI drops other control characters
                default: sb.Append(c); break;
            }
        }
    }
}
