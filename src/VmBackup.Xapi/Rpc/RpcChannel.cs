using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Authentication;
using VmBackup.Xapi.Tls;

namespace VmBackup.Xapi.Rpc;

/// <summary>
/// Sends RPCs to one XAPI host over a shared <see cref="HttpClient"/> and decodes the replies. In
/// <see cref="XenApiProtocol.Auto"/> mode it uses JSON-RPC until a <c>/jsonrpc</c> reply has a content type other
/// than <c>application/json</c>, then XML-RPC for the rest of its life (Xen Orchestra's rule). A non-2xx status is a
/// hard error, never a reason to fall back. Thread-safe.
/// </summary>
internal sealed class RpcChannel
{
    private readonly HttpClient _http;
    private readonly XenApiClientOptions _options;
    private readonly TlsPolicy _tls;
    private readonly Uri _jsonRpcUri;
    private readonly Uri _xmlRpcUri;
    private long _nextId;
    private volatile int _protocol;

    public RpcChannel(Uri baseUri, HttpClient http, XenApiClientOptions options, TlsPolicy tls)
    {
        BaseUri = new Uri(baseUri.GetLeftPart(UriPartial.Authority) + "/");
        _http = http;
        _options = options;
        _tls = tls;
        _jsonRpcUri = new Uri(BaseUri, "jsonrpc");
        _xmlRpcUri = BaseUri;
        _protocol = (int)options.Protocol;
    }

    /// <summary>Scheme, host and port of the server, with a trailing slash.</summary>
    public Uri BaseUri { get; }

    /// <summary>The protocol in use: <see cref="XenApiProtocol.Auto"/> until the first reply decided it.</summary>
    public XenApiProtocol Protocol => (XenApiProtocol)_protocol;

    /// <summary>Calls <paramref name="method"/>; returns the raw result or throws <see cref="XenApiException"/> / <see cref="XenApiConnectionException"/>.</summary>
    public async Task<object?> InvokeAsync(string method, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var reply = await SendAsync(method, args, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                outcome = reply.ErrorCode!;
                throw new XenApiException(reply.ErrorCode!, reply.ErrorParameters, method);
            }

            outcome = "ok";
            return reply.Value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            Trace(method + " " + Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms " + outcome);
        }
    }

    private async Task<RpcReply> SendAsync(string method, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        if (Protocol != XenApiProtocol.XmlRpc)
        {
            var id = Interlocked.Increment(ref _nextId);
            var body = JsonRpcCodec.EncodeRequest(method, args, id);
            var reply = await PostAsync(_jsonRpcUri, body, JsonRpcCodec.ContentType, expectJson: true, cancellationToken).ConfigureAwait(false);
            if (reply is not null)
            {
                if (Protocol == XenApiProtocol.Auto)
                {
                    Interlocked.CompareExchange(ref _protocol, (int)XenApiProtocol.JsonRpc, (int)XenApiProtocol.Auto);
                }

                return reply;
            }

            if (Protocol == XenApiProtocol.JsonRpc)
            {
                throw new XenApiConnectionException(
                    BaseUri.GetLeftPart(UriPartial.Authority) + " did not answer JSON-RPC on /jsonrpc (reply is not application/json); use the XML-RPC or Auto protocol.",
                    BaseUri);
            }

            Interlocked.CompareExchange(ref _protocol, (int)XenApiProtocol.XmlRpc, (int)XenApiProtocol.Auto);
            Trace("JSON-RPC not offered by " + BaseUri.GetLeftPart(UriPartial.Authority) + "; falling back to XML-RPC");
        }

        var xml = XmlRpcCodec.EncodeRequest(method, args);
        return (await PostAsync(_xmlRpcUri, xml, XmlRpcCodec.RequestContentType, expectJson: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>POSTs and decodes; returns <see langword="null"/> when a JSON-RPC reply is not <c>application/json</c>.</summary>
    private async Task<RpcReply?> PostAsync(Uri uri, byte[] body, string contentType, bool expectJson, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CallTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new XenApiConnectionException(
                    uri.GetLeftPart(UriPartial.Path) + " answered HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                    + " " + response.ReasonPhrase + " instead of an RPC reply.",
                    BaseUri)
                { HttpStatusCode = (int)response.StatusCode };
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (expectJson && !string.Equals(mediaType, JsonRpcCodec.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    return expectJson
                        ? await JsonRpcCodec.DecodeResponseAsync(stream, timeout.Token).ConfigureAwait(false)
                        : await XmlRpcCodec.DecodeResponseAsync(stream, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or System.Xml.XmlException or FormatException)
                {
                    throw new XenApiConnectionException(
                        uri.GetLeftPart(UriPartial.Path) + " sent a reply that is not a valid " + (expectJson ? "JSON-RPC" : "XML-RPC") + " response: " + e.Message,
                        BaseUri,
                        e);
                }
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new XenApiConnectionException(
                "No reply from " + BaseUri.GetLeftPart(UriPartial.Authority) + " within " + _options.CallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s.",
                BaseUri,
                e);
        }
        catch (HttpRequestException e)
        {
            throw Translate(e);
        }
    }

    private XenApiConnectionException Translate(HttpRequestException e)
    {
        var refused = _tls.RefusedFingerprint(BaseUri);
        if (refused is not null && (e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError))
        {
            return new XenApiConnectionException(_tls.DescribeRefusal(BaseUri, refused), BaseUri, e) { PresentedCertificateFingerprint = refused };
        }

        if (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            return new XenApiConnectionException("TLS handshake with " + BaseUri.GetLeftPart(UriPartial.Authority) + " failed: " + e.Message, BaseUri, e);
        }

        return new XenApiConnectionException("Cannot reach XAPI at " + BaseUri.GetLeftPart(UriPartial.Authority) + ": " + e.Message, BaseUri, e);
    }

    private void Trace(string line) => _options.Trace?.Invoke(line);
}
