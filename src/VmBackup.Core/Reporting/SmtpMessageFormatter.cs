using System.Globalization;
using System.Text;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Builds the DATA payload of a report (RFC 5322 + MIME): plain text, UTF-8, CRLF line ends, dot-stuffed and
/// ended by <c>.</c>. The body goes as 7bit when it is ASCII with short lines, else base64; a non-ASCII subject is
/// an RFC 2047 encoded word.
/// </summary>
internal static class SmtpMessageFormatter
{
    private const int MaxHeaderLine = 78;

    public static byte[] Format(string from, IReadOnlyList<string> to, string subject, string body, DateTimeOffset date, string messageId)
    {
        var text = new StringBuilder();
        text.Append("From: ").Append(from).Append("\r\n");
        AppendAddressHeader(text, "To: ", to);
        text.Append("Subject: ").Append(EncodeSubject(subject)).Append("\r\n");
        text.Append("Date: ").Append(FormatDate(date)).Append("\r\n");
        text.Append("Message-ID: <").Append(messageId).Append(">\r\n");
        text.Append("MIME-Version: 1.0\r\n");
        text.Append("Content-Type: text/plain; charset=utf-8\r\n");
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.All(line => line.Length <= 998 && Ascii.IsValid(line) && !line.Contains('\r', StringComparison.Ordinal)))
        {
            text.Append("Content-Transfer-Encoding: 7bit\r\n\r\n");
            foreach (var line in lines)
            {
                text.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
            }
        }
        else
        {
            text.Append("Content-Transfer-Encoding: base64\r\n\r\n");
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
            for (var i = 0; i < encoded.Length; i += 76)
            {
                text.Append(encoded.AsSpan(i, Math.Min(76, encoded.Length - i))).Append("\r\n");
            }
        }

        text.Append(".\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>RFC 5322 date: <c>Sat, 21 Nov 2026 21:24:35 +0100</c>.</summary>
    public static string FormatDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return date.ToString("ddd, dd MMM yyyy HH':'mm':'ss ", CultureInfo.InvariantCulture)
            + sign + offset.Hours.ToString("00", CultureInfo.InvariantCulture) + offset.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>The subject as is when printable ASCII, else RFC 2047 <c>=?utf-8?B?…?=</c> words (folded).</summary>
    public static string EncodeSubject(string subject)
    {
        var clean = new string([.. subject.Select(c => char.IsControl(c) ? ' ' : c)]);
        if (Ascii.IsValid(clean))
        {
            return clean;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        foreach (var rune in clean.EnumerateRunes())
        {
            var candidate = chunk.ToString() + rune.ToString();
            if (Encoding.UTF8.GetByteCount(candidate) > 45)
            {
                words.Add(EncodedWord(chunk.ToString()));
                chunk.Clear();
            }

            chunk.Append(rune.ToString());
        }

        words.Add(EncodedWord(chunk.ToString()));
        return string.Join("\r\n ", words);

        static string EncodedWord(string text) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
    }

    private static void AppendAddressHeader(StringBuilder text, string name, IReadOnlyList<string> addresses)
    {
        var lineLength = name.Length;
        text.Append(name);
        for (var i = 0; i < addresses.Count; i++)
        {
            var part = addresses[i] + (i < addresses.Count - 1 ? "," : string.Empty);
            if (i > 0)
            {
                if (lineLength + 1 + part.Length > MaxHeaderLine)
                {
                    text.Append("\r\n");
                    lineLength = 0;
                }

                text.Append(' ');
                lineLength++;
            }

            text.Append(part);
            lineLength += part.Length;
        }

        text.Append("\r\n");
    }
}
