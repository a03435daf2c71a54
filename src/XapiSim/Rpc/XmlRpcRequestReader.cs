using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace XapiSim.Rpc;

/// <summary>
/// Decodes an XML-RPC <c>methodCall</c> as ocaml-rpc's parser does: every standard value tag, a bare
/// <c>&lt;value&gt;text&lt;/value&gt;</c> as a string (whitespace kept), <c>i4</c>/<c>int</c>/<c>i8</c> as <c>long</c>,
/// <c>boolean</c> true only for <c>1</c>, empty <c>string</c>/<c>array</c>/<c>struct</c>/<c>value</c> allowed.
/// </summary>
/// <remarks>
/// <c>dateTime.iso8601</c> becomes a UTC <see cref="DateTime"/> when it parses, else stays a string (the dispatcher
/// coerces); <c>base64</c> becomes the UTF-8 string of its bytes; <c>nil</c> becomes <see cref="RpcNil.Instance"/>;
/// structs keep member order (first of duplicate names wins). DTDs are ignored, never resolved.
/// </remarks>
internal static class XmlRpcRequestReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        MaxCharactersFromEntities = 1024,
    };

    public static RpcCall Parse(byte[] body)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new RpcMalformedRequestException("Xmlm.Error: " + e.Message, e);
        }

        var root = document.Root ?? throw Malformed("methodCall", "nothing");
        Expect(root, "methodCall");
        var children = ElementsOnly(root);
        if (children.Count is 0 or > 2)
        {
            throw Malformed("methodName/params", children.Count.ToString(CultureInfo.InvariantCulture) + " elements");
        }

        Expect(children[0], "methodName");
        var method = TextOnly(children[0]);
        var args = new List<object>();
        if (children.Count == 2)
        {
            Expect(children[1], "params");
            foreach (var param in ElementsOnly(children[1]))
            {
                Expect(param, "param");
                var values = ElementsOnly(param);
                if (values.Count != 1)
                {
                    throw Malformed("value", "param with " + values.Count.ToString(CultureInfo.InvariantCulture) + " elements");
                }

                args.Add(ReadValue(values[0]));
            }
        }

        return new RpcCall(method, args);
    }

    private static object ReadValue(XElement value)
    {
        Expect(value, "value");
        var elements = value.Elements().ToList();
        if (elements.Count == 0)
        {
            return TextOnly(value);
        }

        if (elements.Count > 1 || value.Nodes().OfType<XText>().Any(t => !IsBlank(t.Value)))
        {
            throw Malformed("one typed element", "mixed content in <value>");
        }

        return ReadTyped(elements[0]);
    }

    private static object ReadTyped(XElement element)
    {
        var tag = element.Name.LocalName;
        switch (tag)
        {
            case "int" or "i4" or "i8":
                var digits = TextOnly(element);
                return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? integer
                    : throw Malformed(tag, "'" + digits + "'");
            case "boolean":
                return TextOnly(element) == "1";
            case "double":
                var number = TextOnly(element);
                return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                    ? real
                    : throw Malformed(tag, "'" + number + "'");
            case "string":
                return TextOnly(element);
            case "dateTime.iso8601":
                var stamp = TextOnly(element);
                return RpcDateTime.TryParse(stamp, out var dateTime) ? dateTime : stamp;
            case "base64":
                try
                {
                    return Encoding.UTF8.GetString(Convert.FromBase64String(TextOnly(element)));
                }
                catch (FormatException e)
                {
                    throw new RpcMalformedRequestException("Invalid base64 value.", e);
                }

            case "array":
                return ReadArray(element);
            case "struct":
                return ReadStruct(element);
            case "nil":
                return RpcNil.Instance;
            default:
                throw Malformed("int/i8/i4/boolean/double/string/dateTime.iso8601/array/struct/nil", tag);
        }
    }

    private static List<object> ReadArray(XElement array)
    {
        var children = ElementsOnly(array);
        if (children.Count == 0)
        {
            return [];
        }

        if (children.Count != 1)
        {
            throw Malformed("data", "several elements in <array>");
        }

        Expect(children[0], "data");
        return [.. ElementsOnly(children[0]).Select(ReadValue)];
    }

    private static OrderedDictionary<string, object> ReadStruct(XElement structure)
    {
        var members = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var member in ElementsOnly(structure))
        {
            Expect(member, "member");
            var parts = ElementsOnly(member);
            if (parts.Count != 2)
            {
                throw Malformed("name, value", "member with " + parts.Count.ToString(CultureInfo.InvariantCulture) + " elements");
            }

            Expect(parts[0], "name");
            members.TryAdd(TextOnly(parts[0]), ReadValue(parts[1]));
        }

        return members;
    }

    private static List<XElement> ElementsOnly(XElement parent)
    {
        if (parent.Nodes().OfType<XText>().Any(t => !IsBlank(t.Value)))
        {
            throw Malformed("elements", "text in <" + parent.Name.LocalName + ">");
        }

        return [.. parent.Elements()];
    }

    private static string TextOnly(XElement element)
    {
        if (element.HasElements)
        {
            throw Malformed("data", "open_tag(" + element.Elements().First().Name.LocalName + ")");
        }

        return element.Value;
    }

    private static void Expect(XElement element, string tag)
    {
        if (element.Name.LocalName != tag || element.Name.NamespaceName.Length != 0)
        {
            throw Malformed("open_tag(" + tag + ")", "open_tag(" + element.Name.LocalName + ")");
        }
    }

    private static bool IsBlank(string text) => text.AsSpan().IndexOfAnyExcept(" \t\n\r") < 0;

    private static RpcMalformedRequestException Malformed(string expected, string got)
        => new($"Xmlrpc.Parse_error(\"{got}\", \"{expected}\", _)");
}
