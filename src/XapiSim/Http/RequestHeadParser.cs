using System.Text;

namespace XapiSim.Http;

/// <summary>
/// Parses a request head the way xapi's http_svr does: lines split on LF (a trailing CR dropped), the request line
/// is exactly three whitespace-separated fields, header lines without a colon are ignored, values are trimmed.
/// </summary>
internal static class RequestHeadParser
{
    public static RequestHead Parse(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split('\n');
        var requestLine = lines[0].TrimEnd('\r');
        var fields = requestLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
        {
            throw new RequestHeadParseException("Malformed request line.");
        }

        var (method, target, protocol) = (fields[0], fields[1], fields[2]);
        if (!protocol.StartsWith("HTTP/", StringComparison.Ordinal) || protocol.Length == "HTTP/".Length)
        {
            throw new RequestHeadParseException("Malformed HTTP version.");
        }

        var (path, query) = SplitTarget(target);
        var headers = new HttpHeaderCollection();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            headers.Add(name, line[(colon + 1)..].Trim());
        }

        return new RequestHead(method, target, path, query, protocol["HTTP/".Length..], headers);
    }

    private static (string Path, string Query) SplitTarget(string target)
    {
        var rest = target;
        if (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = rest.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = rest.IndexOfAny(['/', '?'], afterScheme);
            rest = slash < 0 ? "/" : rest[slash..];
        }

        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rest : rest[..question];
        var query = question < 0 ? string.Empty : rest[(question + 1)..];
        if (path.Length == 0)
        {
            path = "/";
        }

        return (path, query);
    }
}
