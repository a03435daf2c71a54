using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Rpc;

/// <summary>
/// XML-RPC as XAPI speaks it (reference §1.2): requests are plain <c>methodCall</c>s; replies wrap a
/// <c>{Status, Value | ErrorDescription}</c> struct, except <c>system.*</c> which return a bare value. Decodes every
/// standard tag and the bare <c>&lt;value&gt;text&lt;/value&gt;</c> string form XAPI uses (int64 arrive that way and are
/// converted later by the declared type).
/// </summary>
internal static class XmlRpcCodec
{
    public const string RequestContentType = "text/xml";

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
    };

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        Async = true,
    };

    public static byte[] EncodeRequest(string method, IReadOnlyList<object?> args)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("methodCall");
            writer.WriteElementString("methodName", method);
            writer.WriteStartElement("params");
            foreach (var arg in args)
            {
                writer.WriteStartElement("param");
                WriteValue(writer, RpcArgumentWriter.Normalise(arg));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    public static async Task<RpcReply> DecodeResponseAsync(Stream body, CancellationToken cancellationToken)
    {
        XDocument document;
        using (var reader = XmlReader.Create(body, ReaderSettings))
        {
            document = await XDocument.LoadAsync(reader, LoadOptions.PreserveWhitespace, cancellationToken).ConfigureAwait(false);
        }

        return DecodeResponse(document);
    }

    public static RpcReply DecodeResponse(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
        return DecodeResponse(XDocument.Load(reader, LoadOptions.PreserveWhitespace));
    }

    /// <summary>Parses a lone <c>&lt;value&gt;</c> (e.g. <c>task.result</c>); the empty string is void (<see langword="null"/>).</summary>
    public static object? DecodeValueText(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
        var root = XElement.Load(reader, LoadOptions.PreserveWhitespace);
        if (root.Name.LocalName != "value")
        {
            throw new InvalidDataException("Expected an XML-RPC <value>, got <" + root.Name.LocalName + ">.");
        }

        return DecodeValue(root);
    }

    public static object? DecodeValue(XElement value)
    {
        var child = value.Elements().FirstOrDefault();
        if (child is null)
        {
            return value.Value;
        }

        var text = child.Value;
        switch (child.Name.LocalName)
        {
            case "string":
                return text;
            case "i4":
            case "int":
            case "i8":
                return long.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case "boolean":
                return text.Trim() switch
                {
                    "1" or "true" => true,
                    "0" or "false" => false,
                    _ => throw new InvalidDataException("Invalid XML-RPC boolean."),
                };
            case "double":
                return double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case "dateTime.iso8601":
                return XenDateTime.TryParse(text, out var time) ? time : throw new InvalidDataException("Invalid XML-RPC dateTime.iso8601.");
            case "base64":
                return Convert.FromBase64String(text.Trim());
            case "nil":
                return null;
            case "array":
                var data = child.Element("data");
                return data is null ? Array.Empty<object?>() : data.Elements("value").Select(DecodeValue).ToArray();
            case "struct":
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var member in child.Elements("member"))
                {
                    var name = member.Element("name")?.Value ?? throw new InvalidDataException("XML-RPC struct member without a name.");
                    var memberValue = member.Element("value");
                    result[name] = memberValue is null ? null : DecodeValue(memberValue);
                }

                return result;
            default:
                throw new InvalidDataException("Unknown XML-RPC type <" + child.Name.LocalName + ">.");
        }
    }

    private static RpcReply DecodeResponse(XDocument document)
    {
        var root = document.Root;
        if (root is null || root.Name.LocalName != "methodResponse")
        {
            throw new InvalidDataException("The reply is not an XML-RPC methodResponse.");
        }

        var fault = root.Element("fault")?.Element("value");
        if (fault is not null)
        {
            var faultStruct = XenValueConverter.ToStruct(DecodeValue(fault));
            faultStruct.TryGetValue("faultCode", out var code);
            faultStruct.TryGetValue("faultString", out var message);
            return RpcReply.Failure(XenApiErrorCodes.XmlRpcFault, [XenValueConverter.ToText(code), XenValueConverter.ToText(message)]);
        }

        var value = root.Element("params")?.Element("param")?.Element("value")
            ?? throw new InvalidDataException("The XML-RPC methodResponse has no value.");
        var decoded = DecodeValue(value);
        if (decoded is IReadOnlyDictionary<string, object?> envelope && envelope.TryGetValue("Status", out var status))
        {
            var statusText = XenValueConverter.ToText(status);
            if (statusText == "Success")
            {
                envelope.TryGetValue("Value", out var result);
                return RpcReply.Success(result);
            }

            if (statusText == "Failure")
            {
                envelope.TryGetValue("ErrorDescription", out var description);
                return ErrorFromDescription(XenValueConverter.ToArray(description));
            }
        }

        return RpcReply.Success(decoded);
    }

    internal static RpcReply ErrorFromDescription(IReadOnlyList<object?> description)
    {
        if (description.Count == 0)
        {
            return RpcReply.Failure(XenApiErrorCodes.InternalError, ["XAPI reported a failure without an error code"]);
        }

        var texts = description.Select(XenValueConverter.ToText).ToArray();
        return RpcReply.Failure(texts[0], texts[1..]);
    }

    private static void WriteValue(XmlWriter writer, object value)
    {
        writer.WriteStartElement("value");
        switch (value)
        {
            case string s:
                writer.WriteElementString("string", s);
                break;
            case long l:
                // XAPI's own int64 form: a bare decimal string (accepted on input, reference §1.2).
                writer.WriteString(l.ToString(CultureInfo.InvariantCulture));
                break;
            case bool b:
                writer.WriteElementString("boolean", b ? "1" : "0");
                break;
            case double d:
                writer.WriteElementString("double", d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case DateTime t:
                writer.WriteElementString("dateTime.iso8601", XenDateTime.Format(t));
                break;
            case byte[] bytes:
                writer.WriteElementString("base64", Convert.ToBase64String(bytes));
                break;
            case List<KeyValuePair<string, object>> map:
                writer.WriteStartElement("struct");
                foreach (var (key, item) in map)
                {
                    writer.WriteStartElement("member");
                    writer.WriteElementString("name", key);
                    WriteValue(writer, item);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
                break;
            case List<object> list:
                writer.WriteStartElement("array");
                writer.WriteStartElement("data");
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
                break;
            default:
                throw new NotSupportedException("Cannot encode " + value.GetType().Name + " as XML-RPC.");
        }

        writer.WriteEndElement();
    }
}
