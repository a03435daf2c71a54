using System.Globalization;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// The expression language of <c>get_all_records_where</c>: <c>true</c>, <c>false</c>,
/// <c>field "name"="value"</c>, <c>field "name"&lt;&gt;"value"</c>, <c>not</c>, <c>and</c>, <c>or</c> and parentheses.
/// Fields compare as XAPI's database strings (bools <c>true</c>/<c>false</c>, ints in decimal). A malformed
/// expression is <c>INVALID_VALUE [expr, reason]</c>, as XAPI reports its <c>Expression_error</c>.
/// </summary>
internal sealed class WhereExpression
{
    private readonly List<string> _tokens;
    private readonly string _text;
    private int _position;

    private WhereExpression(string text, List<string> tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    /// <summary>Parses <paramref name="text"/> into a predicate over stored fields; throws <c>INVALID_VALUE</c> if it cannot.</summary>
    public static Func<IReadOnlyDictionary<string, object>, bool> Parse(string text)
    {
        var parser = new WhereExpression(text, Tokenize(text));
        var predicate = parser.ParseOr();
        if (parser._position != parser._tokens.Count)
        {
            throw Invalid(text);
        }

        return predicate;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw Invalid(text);
                }

                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
            }
            else if (c is '(' or ')' or '=')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '<' && i + 1 < text.Length && text[i + 1] == '>')
            {
                tokens.Add("<>");
                i += 2;
            }
            else
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                if (start == i)
                {
                    throw Invalid(text);
                }

                tokens.Add(text[start..i].ToLowerInvariant());
            }
        }

        return tokens;
    }

    private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw Invalid(_text);

    private bool Peek(string token) => _position < _tokens.Count && _tokens[_position] == token;

    private Func<IReadOnlyDictionary<string, object>, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Peek("or"))
        {
            _position++;
            var l = left;
            var r = ParseAnd();
            left = f => l(f) || r(f);
        }

        return left;
    }

    private Func<IReadOnlyDictionary<string, object>, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (Peek("and"))
        {
            _position++;
            var l = left;
            var r = ParseUnary();
            left = f => l(f) && r(f);
        }

        return left;
    }

    private Func<IReadOnlyDictionary<string, object>, bool> ParseUnary()
    {
        var token = Next();
        switch (token)
        {
            case "true":
                return _ => true;
            case "false":
                return _ => false;
            case "not":
                var inner = ParseUnary();
                return f => !inner(f);
            case "(":
                var group = ParseOr();
                if (Next() != ")")
                {
                    throw Invalid(_text);
                }

                return group;
            case "field":
                var name = Unquote(Next());
                var op = Next();
                var value = Unquote(Next());
                if (op is not ("=" or "<>"))
                {
                    throw Invalid(_text);
                }

                return f => f.TryGetValue(name, out var v) && (AsText(v) == value) == (op == "=");
            default:
                throw Invalid(_text);
        }
    }

    private string Unquote(string token)
        => token.Length >= 2 && token[0] == '"' ? token[1..^1] : throw Invalid(_text);

    private static XenApiFailure Invalid(string text) => new("INVALID_VALUE", text, "cannot parse the expression");

    private static string AsText(object value) => value switch
    {
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
