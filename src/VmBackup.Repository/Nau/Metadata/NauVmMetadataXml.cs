using System.Globalization;
using System.Text;
using System.Xml;

namespace VmBackup.Repository.Nau.Metadata;

/// <summary>
/// Pretty-prints a VM's <c>ova.xml</c> the way v3.25's <c>xmllint -format -</c> does for <c>vm-metadata.xml</c>:
/// <list type="bullet">
/// <item>first line <c>&lt;?xml version="1.0"?&gt;</c> (with <c>encoding="…"</c> only when the input declares one);</item>
/// <item>2-space indentation; an element whose content holds text is written as is (no indentation inside);
/// an empty element as <c>&lt;a/&gt;</c>; blank text between elements is dropped, blank-only content kept;</item>
/// <item>text escapes <c>&lt; &gt; &amp;</c> and CR (<c>&amp;#13;</c>); attributes also <c>"</c>, LF, TAB;
/// non-ASCII as <c>&amp;#xE9;</c> unless the input declares UTF-8.</item>
/// </list>
/// DTDs are refused. Input that is not well-formed throws <see cref="XmlException"/> (xmllint fails too).
/// </summary>
public static class NauVmMetadataXml
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads <paramref name="input"/> and writes the formatted document to <paramref name="output"/>.</summary>
    public static async Task FormatAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var text = await FormatAsync(input, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="input"/> and returns the formatted document text.</summary>
    public static async Task<string> FormatAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
        };
        using var reader = XmlReader.Create(input, settings);
        var doc = new Node(NodeKind.Document, string.Empty);
        var stack = new Stack<Node>();
        stack.Push(doc);
        string? declaration = null;
        var utf8 = false;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parent = stack.Peek();
            switch (reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                    (declaration, utf8) = Declaration(reader);
                    break;
                case XmlNodeType.Element:
                    var element = new Node(NodeKind.Element, reader.Name);
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            element.Attributes.Add((reader.Name, reader.Value));
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }

                    parent.Add(element);
                    if (!reader.IsEmptyElement)
                    {
                        stack.Push(element);
                    }

                    break;
                case XmlNodeType.EndElement:
                    stack.Pop().CloseBlank();
                    break;
                case XmlNodeType.Text:
                    parent.AddText(reader.Value, blank: false);
                    break;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    parent.AddText(reader.Value, blank: true);
                    break;
                case XmlNodeType.CDATA:
                    parent.Add(new Node(NodeKind.CData, reader.Value));
                    break;
                case XmlNodeType.Comment:
                    parent.Add(new Node(NodeKind.Comment, reader.Value));
                    break;
                case XmlNodeType.ProcessingInstruction:
                    parent.Add(new Node(NodeKind.ProcessingInstruction, reader.Name) { Text = reader.Value });
                    break;
                default:
                    break;
            }
        }

        var sb = new StringBuilder();
        sb.Append(declaration ?? "<?xml version=\"1.0\"?>").Append('\n');
        foreach (var child in doc.Children)
        {
            if (child.Kind is NodeKind.Text)
            {
                continue; // blanks outside the root element
            }

            Write(sb, child, 0, format: true, utf8);
            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static (string Declaration, bool Utf8) Declaration(XmlReader reader)
    {
        var version = reader.GetAttribute("version") ?? "1.0";
        var encoding = reader.GetAttribute("encoding");
        var standalone = reader.GetAttribute("standalone");
        var sb = new StringBuilder("<?xml version=\"").Append(version).Append('"');
        if (encoding is not null)
        {
            sb.Append(" encoding=\"").Append(encoding).Append('"');
        }

        if (standalone is not null)
        {
            sb.Append(" standalone=\"").Append(standalone).Append('"');
        }

        var utf8 = encoding is not null && (encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || encoding.Equals("UTF8", StringComparison.OrdinalIgnoreCase));
        return (sb.Append("?>").ToString(), utf8);
    }

    private static void Write(StringBuilder sb, Node node, int level, bool format, bool utf8)
    {
        switch (node.Kind)
        {
            case NodeKind.Text:
                Escape(sb, node.Text, attribute: false, utf8);
                return;
            case NodeKind.CData:
                sb.Append("<![CDATA[").Append(node.Name).Append("]]>");
                return;
            case NodeKind.Comment:
                sb.Append("<!--").Append(node.Name).Append("-->");
                return;
            case NodeKind.ProcessingInstruction:
                sb.Append("<?").Append(node.Name);
                if (node.Text.Length > 0)
                {
                    sb.Append(' ').Append(node.Text);
                }

                sb.Append("?>");
                return;
            default:
                break;
        }

        sb.Append('<').Append(node.Name);
        foreach (var (name, value) in node.Attributes)
        {
            sb.Append(' ').Append(name).Append("=\"");
            Escape(sb, value, attribute: true, utf8);
            sb.Append('"');
        }

        if (node.Children.Count == 0)
        {
            sb.Append("/>");
            return;
        }

        sb.Append('>');
        var childFormat = format && !node.Children.Any(c => c.Kind is NodeKind.Text or NodeKind.CData);
        if (childFormat)
        {
            sb.Append('\n');
        }

        foreach (var child in node.Children)
        {
            if (childFormat)
            {
                sb.Append(' ', 2 * (level + 1));
            }

            Write(sb, child, level + 1, childFormat, utf8);
            if (childFormat)
            {
                sb.Append('\n');
            }
        }

        if (childFormat)
        {
            sb.Append(' ', 2 * level);
        }

        sb.Append("</").Append(node.Name).Append('>');
    }

    private static void Escape(StringBuilder sb, string text, bool attribute, bool utf8)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r': sb.Append("&#13;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                case '\n' when attribute: sb.Append("&#10;"); break;
                case '\t' when attribute: sb.Append("&#9;"); break;
                default:
                    if (c >= 0x80 && !utf8)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"&#x{c:X};");
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }
    }

    private enum NodeKind
    {
        Document,
        Element,
        Text,
        CData,
        Comment,
        ProcessingInstruction,
    }

    private sealed class Node(NodeKind kind, string name)
    {
        private string? _pendingBlank;

        public NodeKind Kind { get; } = kind;

        public string Name { get; } = name;

        public string Text { get; set; } = string.Empty;

        public List<(string Name, string Value)> Attributes { get; } = [];

        public List<Node> Children { get; } = [];

        public void Add(Node child)
        {
            _pendingBlank = null; // blanks before a first child element are dropped (libxml2 keepBlanks=0)
            Children.Add(child);
        }

        /// <summary>Adds text; blank text follows libxml2's <c>areBlanks</c>: kept next to text, else dropped.</summary>
        public void AddText(string text, bool blank)
        {
            if (blank && Children.Count == 0)
            {
                _pendingBlank = (_pendingBlank ?? string.Empty) + text; // kept only if the element ends right here
                return;
            }

            var keep = !blank || Children[^1].Kind == NodeKind.Text || Children[0].Kind == NodeKind.Text;
            if (!keep)
            {
                return;
            }

            if (_pendingBlank is not null)
            {
                text = _pendingBlank + text;
                _pendingBlank = null;
            }

            if (Children.Count > 0 && Children[^1].Kind == NodeKind.Text)
            {
                Children[^1].Text += text;
            }
            else
            {
                Children.Add(new Node(NodeKind.Text, string.Empty) { Text = text });
            }
        }

        public void CloseBlank()
        {
            if (_pendingBlank is not null && Children.Count == 0)
            {
                Children.Add(new Node(NodeKind.Text, string.Empty) { Text = _pendingBlank });
            }

            _pendingBlank = null;
        }
    }
}
