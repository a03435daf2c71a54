using System.Text;

namespace XapiSim.Http;

/// <summary>Decodes query strings and <c>Cookie:</c> headers into ordered name/value pairs.</summary>
internal static class HttpParameterParser
{
    /// <summary><c>a=b&amp;c=d</c>, percent-decoded, <c>+</c> as space; a name without <c>=</c> has the empty value.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new KeyValuePair<string, string>(PercentDecode(name, plusIsSpace: true), PercentDecode(value, plusIsSpace: true)));
        }

        return pairs;
    }

    /// <summary>
    /// xapi's <c>parse_cookies</c>: pairs separated by <c>;</c> (or by <c>&amp;</c> when there is no <c>;</c>), split at the
    /// first <c>=</c>, percent-decoded. Unlike xapi, whitespace around the names is trimmed (RFC 6265 <c>"; "</c>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseCookies(string header)
    {
        var separator = header.Contains(';', StringComparison.Ordinal) ? ';' : '&';
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in header.Split(separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = part.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? trimmed : trimmed[..equals];
            var value = equals < 0 ? string.Empty : trimmed[(equals + 1)..];
            pairs.Add(new KeyValuePair<string, string>(PercentDecode(name, plusIsSpace: false), PercentDecode(value, plusIsSpace: false)));
        }

        return pairs;
    }

    /// <summary>Percent-decodes UTF-8; malformed escapes are kept literally.</summary>
    public static string PercentDecode(string text, bool plusIsSpace)
    {
        if (text.IndexOf('%', StringComparison.Ordinal) < 0 && !(plusIsSpace && text.Contains('+', StringComparison.Ordinal)))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            Flush(bytes, builder);
            builder.Append(plusIsSpace && c == '+' ? ' ' : c);
        }

        Flush(bytes, builder);
        return builder.ToString();

        static void Flush(List<byte> bytes, StringBuilder builder)
        {
            if (bytes.Count > 0)
            {
                builder.Append(Encoding.UTF8.GetString([.. bytes]));
                bytes.Clear();
            }
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
