using System.Globalization;
using System.Text;

namespace VmBackup.Core.Nau;

/// <summary>Small helpers reproducing Python 2 string behaviour that v3.25's output depends on.</summary>
public static class PythonText
{
    /// <summary>The characters Python 2 <c>str.strip()</c> removes (ASCII whitespace).</summary>
    public static readonly char[] Whitespace = [' ', '\t', '\n', '\r', '\v', '\f'];

    /// <summary>Python 2 <c>str.strip()</c>.</summary>
    public static string Strip(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Trim(Whitespace);
    }

    /// <summary>
    /// Python <c>int(s)</c> on a byte string: optional surrounding ASCII whitespace, optional sign, ASCII
    /// digits. Values beyond <see cref="int"/> saturate (they are valid for Python).
    /// </summary>
    public static bool TryParseInt(string s, out int value)
    {
        ArgumentNullException.ThrowIfNull(s);
        value = 0;
        var t = Strip(s);
        var start = 0;
        var negative = false;
        if (t.Length > 0 && (t[0] == '+' || t[0] == '-'))
        {
            negative = t[0] == '-';
            start = 1;
        }

        if (start >= t.Length)
        {
            return false;
        }

        for (var i = start; i < t.Length; i++)
        {
            if (t[i] is < '0' or > '9')
            {
                return false;
            }
        }

        var digits = t[start..];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude) || magnitude > int.MaxValue)
        {
            value = negative ? int.MinValue : int.MaxValue;
            return true;
        }

        value = negative ? (int)-magnitude : (int)magnitude;
        return true;
    }

    /// <summary>Python 2 <c>repr()</c> of a byte string.</summary>
    public static string Repr(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < ' ' || c == '\x7f')
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else if (c > '\x7f')
                    {
                        foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                        {
                            sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
                        }
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }

    /// <summary>Python 2 <c>repr()</c> of a list of byte strings, e.g. <c>['OpaqueRef:a', 'OpaqueRef:b']</c>.</summary>
    public static string ReprList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Repr)) + "]";

    /// <summary>Python's bool spelling.</summary>
    public static string Bool(bool b) => b ? "True" : "False";
}
