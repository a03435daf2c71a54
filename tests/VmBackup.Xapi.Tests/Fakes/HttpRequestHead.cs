using System.Text;

namespace VmBackup.Xapi.Tests.Fakes;

/// <summary>The request line and headers of one HTTP request, read byte by byte so nothing of the body is consumed.</summary>
internal sealed record HttpRequestHead(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Reads up to the blank line; null when the client closed the connection first.</summary>
    public static async Task<HttpRequestHead?> ReadAsync(Stream stream)
    {
        var head = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.WriteByte(one[0]);
            var buffer = head.GetBuffer();
            var length = (int)head.Length;
            if (length >= 4 && buffer[length - 4] == '\r' && buffer[length - 3] == '\n' && buffer[length - 2] == '\r' && buffer[length - 1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new HttpRequestHead(requestLine[0], requestLine[1], headers);
    }
}
