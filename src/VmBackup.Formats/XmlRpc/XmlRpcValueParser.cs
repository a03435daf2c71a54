using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace VmBackup.Formats.XmlRpc;

/// <summary>Parses an XML-RPC <c>&lt;value&gt;</c> (bare or typed, every standard tag) into an <see cref="XmlRpcValue"/>.</summary>
public static class XmlRpcValueParser
{
    /// <summary>Parses a document whose root element is <c>&lt;value&gt;</c>.</summary>
    /// <exception cref="FormatException">The text is not a well-formed XML-RPC value; the message gives the line.</exception>
    public static XmlRpcValue Parse(string xml)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(xml, LoadOptions.PreserveWhitespace | LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new FormatException($"not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e);
        }

        return ParseValue(doc.Root!);
    }

    /// <summary>Parses one <c>&lt;value&gt;</c> element.</summary>
    public static XmlRpcValue ParseValue(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Name.LocalName != "value")
        {
            throw Error(element, $"expected <value>, found <{element.Name.LocalName}>");
        }

        var typed = element.Elements().FirstOrDefault();
        if (typed is null)
        {
            return XmlRpcValue.FromString(element.Value);
        }

        var text = typed.Value;
        switch (typed.Name.LocalName)
        {
            case "string":
                return XmlRpcValue.FromString(text);
            case "i4" or "int" or "i8":
                return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? XmlRpcValue.FromTaggedInt(i)
                    : throw Error(typed, $"invalid integer '{text}'");
            case "boolean":
                return text.Trim() switch
                {
                    "1" or "true" => XmlRpcValue.FromBoolean(true),
                    "0" or "false" => XmlRpcValue.FromBoolean(false),
                    _ => throw Error(typed, $"invalid boolean '{text}'"),
                };
            case "double":
                return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? XmlRpcValue.FromDouble(d)
                    : throw Error(typed, $"invalid double '{text}'");
            case "dateTime.iso8601":
                return XmlRpcValue.FromDateTime(ParseDate(typed, text.Trim()));
            case "array":
                var data = typed.Element("data") ?? throw Error(typed, "<array> without <data>");
                return XmlRpcValue.FromArray(data.Elements().Select(ParseValue));
            case "struct":
                return XmlRpcValue.FromStruct(typed.Elements().Select(m =>
                {
                    if (m.Name.LocalName != "member")
                    {
                        throw Error(m, $"expected <member>, found <{m.Name.LocalName}>");
                    }

                    var name = m.Element("name") ?? throw Error(m, "<member> without <name>");
                    var value = m.Element("value") ?? throw Error(m, $"<member> '{name.Value}' without <value>");
                    return new KeyValuePair<string, XmlRpcValue>(name.Value, ParseValue(value));
                }));
            default:
                throw Error(typed, $"unknown XML-RPC type <{typed.Name.LocalName}>");
        }
    }

    private static DateTime ParseDate(XElement element, string text)
    {
        string[] formats = ["yyyyMMdd'T'HH':'mm':'ss'Z'", "yyyyMMdd'T'HH':'mm':'ss", "yyyy-MM-dd'T'HH':'mm':'ss'Z'", "yyyyMMdd'T'HHmmss'Z'"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw Error(element, $"invalid dateTime.iso8601 '{text}'");
    }

    private static FormatException Error(XElement element, string message)
    {
        var info = (IXmlLineInfo)element;
        return new FormatException(info.HasLineInfo() ? $"{message} (line {info.LineNumber}, position {info.LinePosition})" : message);
    }
}
