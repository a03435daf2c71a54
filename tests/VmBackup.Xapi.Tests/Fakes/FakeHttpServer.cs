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
    private readonly TcpListener _listener;
    private readonly Func<FakeHttpRequest, FakeHttpResponse> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public FakeHttpServer(Func<FakeHttpRequest, FakeHttpResponse> handler, X509Certificate2? certificate = null, IPAddress? address = null, int port = 0)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public ConcurrentQueue<FakeHttpRequest> Requests { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IPAddress Address => ((IPEndPoint)_listener.LocalEndpoint).Address;

    public Uri Uri => new((_certificate is null ? "http" : "https") + "://" + Address + ":" + Port + "/");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate, false, false);
                    stream = ssl;
                }

                await using (stream)
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
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or refused our certificate.
            }
        }
    }

    private static async Task<FakeHttpRequest?> ReadRequestAsync(Stream stream)
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

        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture) is var contentLength and > 0)
        {
            body = new byte[contentLength];
            await stream.ReadExactlyAsync(body);
        }

        return new FakeHttpRequest(requestLine[0], requestLine[1], headers, body);
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
