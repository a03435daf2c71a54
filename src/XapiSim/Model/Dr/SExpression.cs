namespace XapiSim.Model.Dr;

/// <summary>
/// Reads the S-expressions xapi's string marshaller writes for sets (<c>('a' 'b')</c>) and maps
/// (<c>(('k' 'v') …)</c>) in a <c>/pool/xmldbdump</c>: an atom is a quoted string (backslash escapes
/// <c>\\</c> and <c>\'</c>), a list is parenthesised.
/// </summary>
internal static class SExpression
{
    /// <summary>Parses <paramref name="text"/>: a string for an atom, a <see cref="List{T}"/> of nodes for a list.</summary>
    public static object Parse(string text)
    {
        var position = 0;
        var node = ParseNode(text, ref position);
        SkipSpaces(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException("Trailing characters in S-expression: " + text);
        }

        return node;
    }

    private static object ParseNode(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        if (position >= text.Length)
        {
            throw new FormatException("Unexpected end of S-expression");
        }

        if (text[position] == '(')
        {
            position++;
            var items = new List<object>();
            while (true)
            {
                SkipSpaces(text, ref position);
                if (position >= text.Length)
                {
                    throw new FormatException("Unclosed list in S-expression");
                }

                if (text[position] == ')')
                {
                    position++;
                    return items;
                }

                items.Add(ParseNode(text, ref position));
            }
        }

        if (text[position] != '\'')
        {
            throw new FormatException("Expected a quoted atom at " + position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        position++;
        var atom = new System.Text.StringBuilder();
        while (position < text.Length && text[position] != '\'')
        {
            if (text[position] == '\\' && position + 1 < text.Length)
            {
                position++;
            }

            atom.Append(text[position]);
            position++;
        }

        if (position >= text.Length)
        {
            throw new FormatException("Unclosed atom in S-expression");
        }

        position++;
        return atom.ToString();
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
