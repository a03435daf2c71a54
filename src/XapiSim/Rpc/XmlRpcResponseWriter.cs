using System.Globalization;
using System.Text;

namespace XapiSim.Rpc;

/// <summary>
/// Encodes XML-RPC replies byte for byte as XAPI (ocaml-rpc, non-strict) does: strings, refs and <c>long</c> as bare
/// <c>&lt;value&gt;text&lt;/value&gt;</c>, <c>int</c> as <c>&lt;i4&gt;</c>, <c>&lt;boolean&gt;1/0</c>, <c>&lt;double&gt;</c> in <c>%.16g</c>,
/// <c>dateTime.iso8601</c>, <c>&lt;array&gt;&lt;data&gt;</c>, <c>&lt;struct&gt;</c>, <see cref="RpcVoid"/> as <c>&lt;value&gt;&lt;/value&gt;</c>,
/// <see cref="RpcNil"/> as <c>&lt;nil/&gt;</c>, <c>byte[]</c> as <c>&lt;base64&gt;</c>. Text escapes <c>&lt; &gt; &amp; "</c> and drops
/// control characters other than TAB, LF and CR. Unlike ocaml-rpc, struct member names are escaped too.
/// </summary>
internal static class XmlRpcResponseWriter
{
    private const string Prologue = "<?xml version=\"1.0\"?><methodResponse><params><param>";
    private const string Epilogue = "</param></params></methodResponse>";

    /// <summary>The Status/Value envelope. Throws <see cref="NotSupportedException"/> for a value the seam does not define.</summary>
    public static byte[] Success(object value)
    {
        var builder = new StringBuilder(256).Append(Prologue)
            .Append("<value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>");
        WriteValue(builder, value);
        return Finish(builder.Append("</member></struct></value>"));
    }

    /// <summary>The Status/ErrorDescription envelope.</summary>
    public static byte[] Failure(IReadOnlyList<string> description)
    {
        var builder = new StringBuilder(256).Append(Prologue)
            .Append("<value><struct><member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name>");
        WriteValue(builder, description);
        return Finish(builder.Append("</member></struct></value>"));
    }

    /// <summary>The value itself in the param, no wrapper (<c>system.listMethods</c>; on failure XAPI writes the bare error array).</summary>
    public static byte[] Bare(object value)
    {
        var builder = new StringBuilder(256).Append(Prologue);
        WriteValue(builder, value);
        return Finish(builder);
    }

    public static void WriteValue(StringBuilder builder, object value)
    {
        switch (value)
        {
            case string text:
                builder.Append("<value>");
                AppendEscaped(builder, text);
                builder.Append("</value>");
                break;
            case int i4:
                builder.Append("<value><i4>").Append(i4.ToString(CultureInfo.InvariantCulture)).Append("</i4></value>");
                break;
            case bool flag:
                builder.Append(flag ? "<value><boolean>1</boolean></value>" : "<value><boolean>0</boolean></value>");
                break;
            case double real:
                builder.Append("<value><double>").Append(RpcNumberFormat.FormatXmlDouble(real)).Append("</double></value>");
                break;
            case float single:
                builder.Append("<value><double>").Append(RpcNumberFormat.FormatXmlDouble(single)).Append("</double></value>");
                break;
            case DateTime dateTime:
                builder.Append("<value><dateTime.iso8601>").Append(RpcDateTime.Format(dateTime)).Append("</dateTime.iso8601></value>");
                break;
            case DateTimeOffset offset:
                builder.Append("<value><dateTime.iso8601>").Append(RpcDateTime.Format(offset.UtcDateTime)).Append("</dateTime.iso8601></value>");
                break;
            case RpcVoid:
                builder.Append("<value></value>");
                break;
            case RpcNil:
                builder.Append("<value><nil/></value>");
                break;
            case byte[] bytes:
                builder.Append("<value><base64>").Append(Convert.ToBase64String(bytes)).Append("</base64></value>");
                break;
            default:
                WriteComposite(builder, value);
                break;
        }
    }

    private static void WriteComposite(StringBuilder builder, object value)
    {
        if (RpcValueShape.TryGetInteger(value, out var integer))
        {
            builder.Append("<value>").Append(integer).Append("</value>");
        }
        else if (RpcValueShape.TryGetMap(value, out var members))
        {
            builder.Append("<value><struct>");
            foreach (var (name, member) in members)
            {
                builder.Append("<member><name>");
                AppendEscaped(builder, name);
                builder.Append("</name>");
                WriteValue(builder, member);
                builder.Append("</member>");
            }

            builder.Append("</struct></value>");
        }
        else if (RpcValueShape.TryGetSet(value, out var items))
        {
            builder.Append("<value><array><data>");
            foreach (var item in items)
            {
                WriteValue(builder, item);
            }

            builder.Append("</data></array></value>");
        }
        else
        {
            throw new NotSupportedException($"A value of type {value.GetType().FullName} cannot be sent over XML-RPC.");
        }
    }

    private static void AppendEscaped(StringBuilder builder, string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\t' or '\n' or '\r' => null,
                < ' ' => string.Empty,
                _ => null,
            };
            if (replacement is null)
            {
                continue;
            }

            builder.Append(text, start, i - start).Append(replacement);
            start = i + 1;
        }

        builder.Append(text, start, text.Length - start);
    }

    private static byte[] Finish(StringBuilder builder) => Encoding.UTF8.GetBytes(builder.Append(Epilogue).ToString());
}
