using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VmBackup.Xapi.Tests.Fakes;

/// <summary>
/// A minimal HTTP/1.1 server on a loopback address for client tests: keep-alive, Content-Length bodies, optional TLS.
/// Every request is recorded; the handler decides each response.
/// </summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly Func<FakeHttpRequest, FakeHttpResponse> _handler;
    private readonly LoopbackTcpServer _server;

    public FakeHttpServer(Func<FakeHttpRequest, FakeHttpResponse> handler, X509Certificate2? certificate = null, IPAddress? address = null, int port = 0)
    {
        _handler = handler;
        _server = new LoopbackTcpServer(ServeAsync, certificate, address, port);
    }

    public ConcurrentQueue<FakeHttpRequest> Requests { get; } = new();

    public int Port => _server.Port;

    public IPAddress Address => _server.Address;

    public Uri Uri => _server.Uri;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(Stream stream)
    {
        while (await ReadRequestAsync(stream) is { } request)
        {
            Requests.Enqueue(request);
            var response = _handler(request);
            await WriteResponseAsync(stream, response);
            if (response.Close)
            {
                return;
            }
        }
    }

    private static async Task<FakeHttpRequest?> ReadRequestAsync(Stream stream)
    {
        if (await HttpRequestHead.ReadAsync(stream) is not { } head)
        {
            return null;
        }

        var headers = head.Headers;
        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture) is var contentLength and > 0)
        {
            body = new byte[contentLength];
            await stream.ReadExactlyAsync(body);
        }

        return new FakeHttpRequest(head.Method, head.Target, headers, body);
    }

    private static async Task WriteResponseAsync(Stream stream, FakeHttpResponse response)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(response.Reason).Append("\r\n");
        if (response.ContentType is not null)
        {
            head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
        if (response.Close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(response.Body);
        await stream.FlushAsync();
    }
}

/// <summary>One request the fake server received.</summary>
internal sealed record FakeHttpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>The fake server's answer.</summary>
internal sealed record FakeHttpResponse(int Status, string? ContentType, byte[] Body, string Reason = "OK", bool Close = false)
{
    public static FakeHttpResponse Text(int status, string? contentType, string body, string reason = "OK") =>
        new(status, contentType, Encoding.UTF8.GetBytes(body), reason);
}
