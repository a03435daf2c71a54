using System.Globalization;
using System.Text;

namespace XapiSim.Rpc;

/// <summary>
/// Encodes JSON-RPC replies as XAPI does (ocaml-rpc over Yojson, compact):
/// v1 <c>{"result":R,"error":null,"id":I}</c> / <c>{"result":null,"error":["CODE",…],"id":I}</c>;
/// v2 <c>{"jsonrpc":"2.0","result":R,"id":I}</c> / <c>{"jsonrpc":"2.0","error":{"code":1,"message":"CODE","data":[…]},"id":I}</c>.
/// </summary>
/// <remarks>
/// Values: <c>int</c>/<c>long</c> and doubles as numbers (Yojson float text), <c>DateTime</c> as the
/// <c>YYYYMMDDTHH:MM:SSZ</c> string, <see cref="RpcVoid"/> as <c>""</c> (XAPI marshals void as an empty string),
/// <see cref="RpcNil"/> as <c>null</c>, <c>byte[]</c> as a base64 string. Strings escape <c>" \</c> and control characters;
/// other characters are written as they are.
/// </remarks>
internal static class JsonRpcResponseWriter
{
    /// <summary>A success reply. Throws <see cref="NotSupportedException"/> for a value the seam does not define.</summary>
    public static byte[] Success(RpcProtocol protocol, object id, object value)
    {
        var builder = new StringBuilder(256).Append('{');
        if (protocol == RpcProtocol.JsonRpcV2)
        {
            builder.Append("\"jsonrpc\":\"2.0\",\"result\":");
            WriteValue(builder, value);
        }
        else
        {
            builder.Append("\"result\":");
            WriteValue(builder, value);
            builder.Append(",\"error\":null");
        }

        return Finish(builder, id);
    }

    /// <summary>
    /// A failure reply. In v2 the description becomes the error object (code 1), except for bare-result methods
    /// (<c>system.listMethods</c>), whose v2 error XAPI leaves as the plain array.
    /// </summary>
    public static byte[] Failure(RpcProtocol protocol, object id, IReadOnlyList<string> description, bool bareResultMethod)
    {
        var builder = new StringBuilder(256).Append('{');
        if (protocol == RpcProtocol.JsonRpcV2)
        {
            builder.Append("\"jsonrpc\":\"2.0\",\"error\":");
            if (bareResultMethod)
            {
                WriteValue(builder, description);
            }
            else
            {
                builder.Append("{\"code\":1,\"message\":");
                WriteString(builder, description.Count > 0 ? description[0] : string.Empty);
                builder.Append(",\"data\":");
                WriteValue(builder, description.Skip(1).ToList());
                builder.Append('}');
            }
        }
        else
        {
            builder.Append("\"result\":null,\"error\":");
            WriteValue(builder, description);
        }

        return Finish(builder, id);
    }

    public static void WriteValue(StringBuilder builder, object value)
    {
        switch (value)
        {
            case string text:
                WriteString(builder, text);
                break;
            case int i4:
                builder.Append(i4.ToString(CultureInfo.InvariantCulture));
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case double real:
                builder.Append(RpcNumberFormat.FormatJsonDouble(real));
                break;
            case float single:
                builder.Append(RpcNumberFormat.FormatJsonDouble(single));
                break;
            case DateTime dateTime:
                WriteString(builder, RpcDateTime.Format(dateTime));
                break;
            case DateTimeOffset offset:
                WriteString(builder, RpcDateTime.Format(offset.UtcDateTime));
                break;
            case RpcVoid:
                builder.Append("\"\"");
                break;
            case RpcNil:
                builder.Append("null");
                break;
            case byte[] bytes:
                WriteString(builder, Convert.ToBase64String(bytes));
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
            builder.Append(integer);
        }
        else if (RpcValueShape.TryGetMap(value, out var members))
        {
            builder.Append('{');
            var first = true;
            foreach (var (name, member) in members)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                WriteString(builder, name);
                builder.Append(':');
                WriteValue(builder, member);
            }

            builder.Append('}');
        }
        else if (RpcValueShape.TryGetSet(value, out var items))
        {
            builder.Append('[');
            var first = true;
            foreach (var item in items)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                WriteValue(builder, item);
            }

            builder.Append(']');
        }
        else
        {
            throw new NotSupportedException($"A value of type {value.GetType().FullName} cannot be sent over JSON-RPC.");
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '\x7f':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    private static byte[] Finish(StringBuilder builder, object id)
    {
        builder.Append(",\"id\":");
        WriteValue(builder, id);
        return Encoding.UTF8.GetBytes(builder.Append('}').ToString());
    }
}
