using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace VmBackup.Core.Nau.Selection;

/// <summary>
/// A Python 2 <c>re</c> pattern run on .NET with <c>re.match</c> semantics: anchored at the start only,
/// case-sensitive, <c>\w \d \s \b</c> ASCII-only (Python 2 byte strings). Python-only syntax is translated
/// (<c>(?P&lt;n&gt;…)</c>, <c>(?P=n)</c>, <c>{,n}</c>, <c>\Z</c>, unknown letter escapes), and .NET-only syntax
/// that Python 2 rejects (<c>(?&lt;n&gt;…)</c>, <c>(?'n'…)</c>, <c>(?&gt;…)</c>, scoped flags <c>(?i:…)</c>) is rejected.
/// Every match runs under a timeout.
/// </summary>
public sealed class PythonRegex
{
    /// <summary>Default per-match timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    private const string AsciiWord = "a-zA-Z0-9_";
    private const string AsciiDigit = "0-9";
    private const string AsciiSpace = @" \t\n\r\f\v";

    private static readonly Regex SimpleName = new(@"\A[A-Za-z0-9_ \t\n\r\f\v-]+\z", RegexOptions.CultureInvariant, DefaultTimeout);

    private readonly Regex _regex;

    private PythonRegex(string pattern, string netPattern, Regex regex)
    {
        Pattern = pattern;
        NetPattern = netPattern;
        _regex = regex;
    }

    /// <summary>The Python pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The translated .NET pattern (anchored).</summary>
    public string NetPattern { get; }

    /// <summary>
    /// v3.25's <c>isNormalVmName</c>: <c>^[\w\s\-\_]+$</c> in Python 2 byte-string semantics (ASCII letters,
    /// digits, underscore, ASCII whitespace, hyphen; at least one character). Simple names match by exact equality.
    /// </summary>
    public static bool IsSimpleName(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return SimpleName.IsMatch(selector);
    }

    /// <summary>Compiles a Python 2 pattern; false (with a reason) when Python 2 would reject it.</summary>
    public static bool TryCompile(string pattern, [NotNullWhen(true)] out PythonRegex? regex, out string? error, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        regex = null;
        if (!TryTranslate(pattern, out var net, out var options, out error))
        {
            return false;
        }

        var anchored = (options & RegexOptions.IgnorePatternWhitespace) != 0 ? @"\A(?:" + net + "\n)" : @"\A(?:" + net + ")";
        try
        {
            var compiled = new Regex(anchored, options | RegexOptions.CultureInvariant, timeout ?? DefaultTimeout);
            regex = new PythonRegex(pattern, anchored, compiled);
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Python <c>re.match(pattern, input) is not None</c>. Throws <see cref="RegexMatchTimeoutException"/> on timeout.</summary>
    public bool MatchAtStart(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _regex.IsMatch(input);
    }

    private static bool TryTranslate(string p, out string net, out RegexOptions options, out string? error)
    {
        var sb = new StringBuilder(p.Length + 16);
        options = RegexOptions.None;
        error = null;
        net = string.Empty;
        var unicode = false;
        var i = 0;

        // First pass: global inline flags (?iLmsux) anywhere, as Python 2 applies them to the whole pattern.
        for (var k = 0; k + 2 < p.Length; k++)
        {
            if (p[k] == '\\')
            {
                k++;
                continue;
            }

            if (p[k] == '(' && p[k + 1] == '?' && "iLmsux".Contains(p[k + 2], StringComparison.Ordinal))
            {
                var j = k + 2;
                while (j < p.Length && "iLmsux".Contains(p[j], StringComparison.Ordinal))
                {
                    j++;
                }

                if (j < p.Length && p[j] == ')')
                {
                    unicode |= p[(k + 2)..j].Contains('u', StringComparison.Ordinal);
                }
            }
        }

        while (i < p.Length)
        {
            var c = p[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        error = "bogus escape (end of line)";
                        return false;
                    }

                    i = TranslateEscape(p, i, sb, inClass: false, unicode);
                    break;

                case '[':
                    if (!TryTranslateClass(p, ref i, sb, unicode, out error))
                    {
                        return false;
                    }

                    break;

                case '(':
                    if (i + 1 < p.Length && p[i + 1] == '?')
                    {
                        if (!TryTranslateExtension(p, ref i, sb, ref options, out error))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        sb.Append('(');
                        i++;
                    }

                    break;

                case '{':
                    i = TranslateBrace(p, i, sb);
                    break;

                default:
                    sb.Append(c);
                    i++;
                    break;
            }
        }

        net = sb.ToString();
        return true;
    }

    // Python 2 quantifier braces: {m}, {m,}, {,n}, {m,n}, {,}; anything else is a literal '{'.
    private static int TranslateBrace(string p, int i, StringBuilder sb)
    {
        var j = i + 1;
        var lo = new StringBuilder();
        var hi = new StringBuilder();
        while (j < p.Length && char.IsAsciiDigit(p[j]))
        {
            lo.Append(p[j++]);
        }

        var comma = j < p.Length && p[j] == ',';
        if (comma)
        {
            j++;
            while (j < p.Length && char.IsAsciiDigit(p[j]))
            {
                hi.Append(p[j++]);
            }
        }

        if (j < p.Length && p[j] == '}' && (lo.Length > 0 || comma))
        {
            sb.Append('{').Append(lo.Length > 0 ? lo.ToString() : "0");
            if (comma)
            {
                sb.Append(',').Append(hi);
            }

            sb.Append('}');
            return j + 1;
        }

        sb.Append(@"\{");
        return i + 1;
    }

    private static bool TryTranslateExtension(string p, ref int i, StringBuilder sb, ref RegexOptions options, out string? error)
    {
        error = null;
        var rest = p[(i + 2)..];
        if (rest.StartsWith("P<", StringComparison.Ordinal))
        {
            var close = rest.IndexOf('>', StringComparison.Ordinal);
            if (close < 0 || !IsPythonIdentifier(rest[2..close]))
            {
                error = "bad character in group name";
                return false;
            }

            sb.Append("(?<").Append(rest[2..close]).Append('>');
            i += 2 + close + 1;
            return true;
        }

        if (rest.StartsWith("P=", StringComparison.Ordinal))
        {
            var close = rest.IndexOf(')', StringComparison.Ordinal);
            if (close < 0 || !IsPythonIdentifier(rest[2..close]))
            {
                error = "bad character in group name";
                return false;
            }

            sb.Append(@"\k<").Append(rest[2..close]).Append('>');
            i += 2 + close + 1;
            return true;
        }

        if (rest.StartsWith(':') || rest.StartsWith('=') || rest.StartsWith('!') || rest.StartsWith('#')
            || rest.StartsWith("<=", StringComparison.Ordinal) || rest.StartsWith("<!", StringComparison.Ordinal)
            || rest.StartsWith('('))
        {
            if (rest.StartsWith('#'))
            {
                var close = rest.IndexOf(')', StringComparison.Ordinal);
                if (close < 0)
                {
                    error = "unbalanced parenthesis";
                    return false;
                }

                i += 2 + close + 1; // drop the comment
                return true;
            }

            sb.Append("(?");
            i += 2;
            return true;
        }

        if (rest.Length > 0 && "iLmsux".Contains(rest[0], StringComparison.Ordinal))
        {
            var j = 0;
            while (j < rest.Length && "iLmsux".Contains(rest[j], StringComparison.Ordinal))
            {
                switch (rest[j])
                {
                    case 'i': options |= RegexOptions.IgnoreCase; break;
                    case 'm': options |= RegexOptions.Multiline; break;
                    case 's': options |= RegexOptions.Singleline; break;
                    case 'x': options |= RegexOptions.IgnorePatternWhitespace; break;
                }

                j++;
            }

            if (j < rest.Length && rest[j] == ')')
            {
                i += 2 + j + 1;
                return true;
            }

            error = "unknown extension (scoped inline flags are not Python 2 syntax)";
            return false;
        }

        error = "unknown extension (?" + (rest.Length > 0 ? rest[0].ToString() : string.Empty) + " (not Python 2 regex syntax)";
        return false;
    }

    private static bool IsPythonIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    private static bool TryTranslateClass(string p, ref int i, StringBuilder sb, bool unicode, out string? error)
    {
        error = null;
        var j = i + 1;
        var inner = new StringBuilder();
        var negated = false;
        if (j < p.Length && p[j] == '^')
        {
            negated = true;
            j++;
        }

        var first = true;
        while (true)
        {
            if (j >= p.Length)
            {
                error = "unexpected end of regular expression (unterminated character set)";
                return false;
            }

            var c = p[j];
            if (c == ']' && !first)
            {
                break;
            }

            first = false;
            if (c == '\\')
            {
                if (j + 1 >= p.Length)
                {
                    error = "bogus escape (end of line)";
                    return false;
                }

                j = TranslateEscape(p, j, inner, inClass: true, unicode);
                continue;
            }

            if (c is '[' or ']')
            {
                inner.Append('\\').Append(c);
            }
            else
            {
                inner.Append(c);
            }

            j++;
        }

        sb.Append('[');
        if (negated)
        {
            sb.Append('^');
        }

        sb.Append(inner).Append(']');
        i = j + 1;
        return true;
    }

    // Returns the index after the escape.
    private static int TranslateEscape(string p, int i, StringBuilder sb, bool inClass, bool unicode)
    {
        var e = p[i + 1];
        if (!unicode)
        {
            switch (e)
            {
                case 'd': sb.Append(inClass ? AsciiDigit : "[" + AsciiDigit + "]"); return i + 2;
                case 'w': sb.Append(inClass ? AsciiWord : "[" + AsciiWord + "]"); return i + 2;
                case 's': sb.Append(inClass ? AsciiSpace : "[" + AsciiSpace + "]"); return i + 2;
                case 'D' when !inClass: sb.Append("[^" + AsciiDigit + "]"); return i + 2;
                case 'W' when !inClass: sb.Append("[^" + AsciiWord + "]"); return i + 2;
                case 'S' when !inClass: sb.Append("[^" + AsciiSpace + "]"); return i + 2;
                case 'b' when !inClass:
                    sb.Append("(?:(?<=[" + AsciiWord + "])(?![" + AsciiWord + "])|(?<![" + AsciiWord + "])(?=[" + AsciiWord + "]))");
                    return i + 2;
                case 'B' when !inClass:
                    sb.Append("(?:(?<=[" + AsciiWord + "])(?=[" + AsciiWord + "])|(?<![" + AsciiWord + "])(?![" + AsciiWord + "]))");
                    return i + 2;
            }
        }

        switch (e)
        {
            case 'Z' when !inClass:
                sb.Append(@"\z");
                return i + 2;
            case 'A' or 'b' or 'B' or 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'a' or 'f' or 'n' or 'r' or 't' or 'v' or 'x':
                sb.Append('\\').Append(e);
                return i + 2;
        }

        if (char.IsAsciiDigit(e))
        {
            sb.Append('\\').Append(e);
            return i + 2;
        }

        if (char.IsAsciiLetter(e))
        {
            sb.Append(e); // Python 2: an unknown letter escape is the letter itself
            return i + 2;
        }

        if (e < '\x80')
        {
            sb.Append('\\').Append(e); // escaped ASCII punctuation or space: literal (also '-' inside a class)
        }
        else
        {
            sb.Append(e);
        }

        return i + 2;
    }
}
