using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace XapiSim.Http;

/// <summary>
/// Serves the requests of one accepted socket, one after the other, as xapi's <c>handle_connection</c> does:
/// read a head (errors answered with xapi's pages), dispatch, then loop while the exchange allows keep-alive.
/// </summary>
internal sealed class HttpConnection(Socket socket, HttpRouter router, TlsServerSettings? tls, HttpServerOptions options)
{
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Closes the socket, which ends any pending read or write.</summary>
    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    public async Task RunAsync(CancellationToken serverToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverToken, _abort.Token);
        var token = linked.Token;
        socket.NoDelay = true;
        var remote = socket.RemoteEndPoint as IPEndPoint;
        var local = socket.LocalEndPoint as IPEndPoint;
        using var network = new NetworkStream(socket, ownsSocket: true);
        Stream transport = network;
        try
        {
            if (tls is not null)
            {
                var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
                transport = ssl;
                using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                handshakeTimeout.CancelAfter(options.TlsHandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(tls.CreateOptions(), handshakeTimeout.Token).ConfigureAwait(false);
            }

            using var reader = new ConnectionReader(transport);
            var writer = new ResponseWriter(transport);
            var first = true;
            while (!token.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(reader, writer, first, token).ConfigureAwait(false);
                if (head is null)
                {
                    return;
                }

                first = false;
                var keepAlive = await ServeAsync(head, reader, writer, remote, local, token).ConfigureAwait(false);
                if (!keepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // The client went away, the TLS handshake failed, or the server is stopping: this connection only.
        }
#pragma warning disable CA1031 // A handler bug after its headers went out may only cost its own connection.
        catch (Exception)
        {
        }
#pragma warning restore CA1031
        finally
        {
            await DisposeQuietlyAsync(transport).ConfigureAwait(false);
            socket.Dispose();
            _abort.Dispose();
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException;

    private static async ValueTask DisposeQuietlyAsync(Stream transport)
    {
        try
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
        }
    }

    private async ValueTask<RequestHead?> ReadHeadAsync(ConnectionReader reader, ResponseWriter writer, bool first, CancellationToken token)
    {
        byte[]? bytes;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            if (first)
            {
                timeout.CancelAfter(options.FirstRequestTimeout);
            }

            try
            {
                bytes = await reader.ReadHeadAsync(options.MaxRequestHeadBytes, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                await WriteBareErrorAsync(writer, 408, "Request Timeout", XapiErrorPages.RequestTimeout, token).ConfigureAwait(false);
                return null;
            }
            catch (RequestHeadTooLargeException)
            {
                await WriteBareErrorAsync(writer, 431, "Request Header Fields Too Large", XapiErrorPages.HeaderFieldsTooLarge, token).ConfigureAwait(false);
                return null;
            }
            catch (EndOfStreamException)
            {
                return null;
            }
        }

        if (bytes is null)
        {
            return null;
        }

        try
        {
            return RequestHeadParser.Parse(bytes);
        }
        catch (RequestHeadParseException)
        {
            await WriteBareErrorAsync(writer, 500, "Internal Error", XapiErrorPages.InternalError(XapiErrorPages.HeadersNotParsed), token).ConfigureAwait(false);
            return null;
        }
    }

    private async ValueTask<bool> ServeAsync(RequestHead head, ConnectionReader reader, ResponseWriter writer, IPEndPoint? remote, IPEndPoint? local, CancellationToken token)
    {
        long? contentLength = null;
        if (head.Headers["Content-Length"] is { } lengthText)
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await WriteBareErrorAsync(writer, 500, "Internal Error", XapiErrorPages.InternalError(XapiErrorPages.HeadersNotParsed), token).ConfigureAwait(false);
                return false;
            }

            contentLength = parsed;
        }

        var chunked = head.Headers["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        RequestBodyStream body = chunked ? new ChunkedRequestStream(reader) : new ContentLengthRequestStream(reader, contentLength ?? 0);
        var exchange = new HttpExchange(head, body, writer, remote, local, tls is not null) { RequestContentLength = chunked ? null : contentLength };
        try
        {
            await router.Resolve(head.Method, head.Path).HandleAsync(exchange, token).ConfigureAwait(false);
            await exchange.CompleteAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (!exchange.HeadersSent && !token.IsCancellationRequested && e is not IOException and not SocketException)
        {
            await exchange.RespondInternalErrorAsync(XapiErrorPages.EscapeHtml(e.GetType().FullName + ": " + e.Message), token).ConfigureAwait(false);
            return false;
        }

        return exchange.CanKeepAlive && await DrainAsync(exchange.RequestBodyInternal, token).ConfigureAwait(false);
    }

    private async ValueTask<bool> DrainAsync(RequestBodyStream body, CancellationToken token)
    {
        if (body.IsComplete)
        {
            return !body.IsBroken;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long drained = 0;
            while (drained <= options.MaxDrainBytes)
            {
                var read = await body.ReadAsync(buffer, token).ConfigureAwait(false);
                if (read == 0)
                {
                    return body.IsComplete && !body.IsBroken;
                }

                drained += read;
            }

            return false;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An error page written before any exchange exists (head errors); version 1.1 as xapi does there.</summary>
    private static async ValueTask WriteBareErrorAsync(ResponseWriter writer, int status, string reason, string html, CancellationToken token)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(html);
        var head = System.Text.Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\ncontent-length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n"
            + "content-type: text/html\r\nconnection: close\r\ncache-control: no-cache, no-store\r\n\r\n");
        await writer.WriteAsync(head, body, token).ConfigureAwait(false);
        await writer.Transport.FlushAsync(token).ConfigureAwait(false);
    }
}
