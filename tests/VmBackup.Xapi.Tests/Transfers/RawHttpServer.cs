using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using VmBackup.Xapi.Tests.Fakes;

namespace VmBackup.Xapi.Tests.Transfers;

/// <summary>
/// A loopback HTTP server that hands each request's head and the raw connection to a handler, which writes whatever
/// it wants (close-delimited bodies, headers before reading the body, cut connections). One request per connection.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly Func<RawExchange, Task> _handler;
    private readonly LoopbackTcpServer _server;

    public RawHttpServer(Func<RawExchange, Task> handler, X509Certificate2? certificate = null)
    {
        _handler = handler;
        _server = new LoopbackTcpServer(ServeAsync, certificate, IPAddress.Loopback);
    }

    public ConcurrentQueue<RawRequest> Requests { get; } = new();

    public ConcurrentQueue<Exception> HandlerErrors { get; } = new();

    public Uri Uri => _server.Uri;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(Stream stream)
    {
        try
        {
            var request = await ReadHeadAsync(stream);
            if (request is null)
            {
                return;
            }

            Requests.Enqueue(request);
            await _handler(new RawExchange(request, stream));
            await stream.FlushAsync();
        }
        catch (Exception e) when (e is not (IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException))
        {
            HandlerErrors.Enqueue(e);
        }
    }

    private static async Task<RawRequest?> ReadHeadAsync(Stream stream)
    {
        if (await HttpRequestHead.ReadAsync(stream) is not { } head)
        {
            return null;
        }

        var target = head.Target;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return new RawRequest(head.Method, target, path, query, head.Headers);
    }
}

/// <summary>The head of one request.</summary>
internal sealed record RawRequest(string Method, string Target, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers)
{
    public long? ContentLength => Headers.TryGetValue("Content-Length", out var text) ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>One request and its connection.</summary>
internal sealed class RawExchange(RawRequest request, Stream stream)
{
    public RawRequest Request { get; } = request;

    public Stream Stream { get; } = stream;

    /// <summary>Writes a status line and headers (XAPI style: <c>Connection: close</c>, no Content-Length unless given).</summary>
    public async Task WriteHeadAsync(int status, string reason, params string[] headers)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n");
        head.Append("Connection: close\r\nCache-Control: no-cache, no-store\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await Stream.FlushAsync();
    }

    /// <summary>Writes a complete small response with a Content-Length.</summary>
    public async Task WriteTextAsync(int status, string reason, string body, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var contentType = headers.Any(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) ? [] : new[] { "Content-Type: text/html" };
        await WriteHeadAsync(status, reason, [.. headers, .. contentType, "Content-Length: " + bytes.Length]);
        await Stream.WriteAsync(bytes);
    }

    /// <summary>Reads exactly <paramref name="length"/> body bytes, hashing them; returns the bytes when small.</summary>
    public async Task<byte[]> ReadBodyAsync(long length)
    {
        var body = new MemoryStream();
        var buffer = new byte[1 << 16];
        var left = length;
        while (left > 0)
        {
            var read = await Stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            if (read == 0)
            {
                throw new EndOfStreamException("client body ended early");
            }

            body.Write(buffer, 0, read);
            left -= read;
        }

        return body.ToArray();
    }
}
