using System.Globalization;
using System.Text;

namespace XapiSim.Http;

public sealed partial class HttpExchange
{
    private readonly ResponseWriter _writer;
    private long? _sentContentLength;

    /// <summary>The status code; 200 unless changed. Fixed once the headers are sent.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>The reason phrase; <c>OK</c> unless changed.</summary>
    public string ReasonPhrase { get; set; } = "OK";

    /// <summary>
    /// The status-line version without <c>HTTP/</c>. Defaults to xapi's rule: <c>1.0</c> when the request was HTTP/1.0,
    /// else <c>1.1</c>. Set <c>1.0</c> for <c>/export</c> and <c>/export_metadata</c>.
    /// </summary>
    public string ResponseVersion { get; set; }

    /// <summary>Response header fields, written in order with their spelling, after the status line and content-length.</summary>
    public HttpHeaderCollection ResponseHeaders { get; } = new();

    /// <summary>
    /// The body length, written as <c>content-length</c> right after the status line (as xapi does). Null means no
    /// Content-Length: the body ends when the connection closes. A <c>Content-Length</c> put in
    /// <see cref="ResponseHeaders"/> by hand is honoured too.
    /// </summary>
    public long? ResponseContentLength { get; set; }

    /// <summary>Set to close the connection after this exchange even if the client wanted keep-alive.</summary>
    public bool CloseConnection { get; set; }

    /// <summary>True once the status line and headers have been written.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>Body bytes written so far.</summary>
    public long ResponseBytesWritten { get; private set; }

    /// <summary>The response body; see the type's remarks. Do not dispose it.</summary>
    public Stream ResponseBody { get; }

    /// <summary>True when the connection may serve another request after this exchange.</summary>
    internal bool CanKeepAlive =>
        RequestKeepAlive
        && !CloseConnection
        && HeadersSent
        && _sentContentLength is { } length
        && length == ResponseBytesWritten
        && !string.Equals(ResponseHeaders["Connection"], "close", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Writes the status line and headers now, before anything is read from the request body (the PUT handshake the
    /// C# SDK needs). Idempotent.
    /// </summary>
    public async ValueTask SendHeadersAsync(CancellationToken cancellationToken)
    {
        if (HeadersSent)
        {
            return;
        }

        await _writer.WriteAsync(BuildHead(), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        await _writer.Transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a complete response: sets the Content-Length to the body's and writes head and body (one write when small).</summary>
    public async ValueTask WriteResponseAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        EnsureHeadersNotSent();
        ResponseContentLength = body.Length;
        await WriteBodyAsync(body, cancellationToken).ConfigureAwait(false);
        await _writer.Transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// xapi's <c>response_error_html</c>: the status, <c>content-type: text/html</c>, <c>connection: close</c>,
    /// <c>cache-control: no-cache, no-store</c>, <paramref name="extraHeaders"/>, then <paramref name="htmlBody"/>; the connection closes.
    /// </summary>
    public ValueTask RespondErrorHtmlAsync(int statusCode, string reasonPhrase, string htmlBody, IEnumerable<KeyValuePair<string, string>>? extraHeaders, CancellationToken cancellationToken)
    {
        EnsureHeadersNotSent();
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        ResponseHeaders.Add("content-type", "text/html");
        ResponseHeaders.Add("connection", "close");
        ResponseHeaders.Add("cache-control", "no-cache, no-store");
        foreach (var (name, value) in extraHeaders ?? [])
        {
            ResponseHeaders.Add(name, value);
        }

        CloseConnection = true;
        return WriteResponseAsync(Encoding.UTF8.GetBytes(htmlBody), cancellationToken);
    }

    /// <summary>xapi's HTML 500 page (<c>500 Internal Error</c>), with an optional "Additional information" section (HTML, not escaped here).</summary>
    public ValueTask RespondInternalErrorAsync(string? additionalInformation, CancellationToken cancellationToken)
        => RespondErrorHtmlAsync(500, "Internal Error", XapiErrorPages.InternalError(additionalInformation), null, cancellationToken);

    /// <summary>xapi's 401 with <c>WWW-Authenticate: Basic realm="<paramref name="realm"/>"</c>.</summary>
    public ValueTask RespondUnauthorizedAsync(string realm, CancellationToken cancellationToken)
        => RespondErrorHtmlAsync(401, "Unauthorised", XapiErrorPages.Unauthorised, [new("WWW-Authenticate", $"Basic realm=\"{realm}\"")], cancellationToken);

    /// <summary>xapi's 403 page.</summary>
    public ValueTask RespondForbiddenAsync(CancellationToken cancellationToken)
        => RespondErrorHtmlAsync(403, "Forbidden", XapiErrorPages.Forbidden, null, cancellationToken);

    /// <summary>xapi's 400 page.</summary>
    public ValueTask RespondBadRequestAsync(CancellationToken cancellationToken)
        => RespondErrorHtmlAsync(400, "Bad Request", XapiErrorPages.BadRequest, null, cancellationToken);

    /// <summary>xapi's 501 page for a method without handlers.</summary>
    public ValueTask RespondMethodNotImplementedAsync(CancellationToken cancellationToken)
        => RespondErrorHtmlAsync(501, "Method not implemented", XapiErrorPages.MethodNotImplemented(Method), null, cancellationToken);

    /// <summary>xapi's <c>response_missing</c>: <c>HTTP/1.1 404 Not Found</c>, <c>connection: close</c>, <c>cache-control</c>, the body; the connection closes.</summary>
    public ValueTask RespondNotFoundAsync(CancellationToken cancellationToken, string body = "")
    {
        EnsureHeadersNotSent();
        StatusCode = 404;
        ReasonPhrase = "Not Found";
        ResponseVersion = "1.1";
        ResponseHeaders.Add("connection", "close");
        ResponseHeaders.Add("cache-control", "no-cache, no-store");
        CloseConnection = true;
        return WriteResponseAsync(Encoding.UTF8.GetBytes(body), cancellationToken);
    }

    /// <summary>
    /// The redirect xapi's HTTP handlers send when another host should serve the request: <c>302 Found</c>,
    /// <c>Connection: close</c>, <c>Cache-Control: no-cache, no-store</c>, <c>Location</c>, no body, and the connection closes.
    /// </summary>
    public async ValueTask RespondRedirectAsync(string location, CancellationToken cancellationToken)
    {
        EnsureHeadersNotSent();
        StatusCode = 302;
        ReasonPhrase = "Found";
        ResponseHeaders.Add("Connection", "close");
        ResponseHeaders.Add("Cache-Control", "no-cache, no-store");
        ResponseHeaders.Add("Location", location);
        ResponseContentLength = null;
        CloseConnection = true;
        await SendHeadersAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var head = HeadersSent ? ReadOnlyMemory<byte>.Empty : BuildHead();
        CheckBodyLimit(data.Length);
        await _writer.WriteAsync(head, data, cancellationToken).ConfigureAwait(false);
        ResponseBytesWritten += data.Length;
    }

    internal void WriteBody(ReadOnlySpan<byte> data)
    {
        var head = HeadersSent ? ReadOnlySpan<byte>.Empty : BuildHead().Span;
        CheckBodyLimit(data.Length);
        _writer.Write(head, data);
        ResponseBytesWritten += data.Length;
    }

    internal async Task FlushResponseAsync(CancellationToken cancellationToken)
    {
        await SendHeadersAsync(cancellationToken).ConfigureAwait(false);
        await _writer.Transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the handler: send an empty response if nothing was sent, and flush.</summary>
    internal async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (!HeadersSent && ResponseContentLength is null && !ResponseHeaders.Contains("Content-Length") && !CloseConnection)
        {
            ResponseContentLength = 0;
        }

        await FlushResponseAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CheckBodyLimit(int count)
    {
        var limit = HeadersSent ? _sentContentLength : EffectiveContentLength();
        if (limit is { } max && ResponseBytesWritten + count > max)
        {
            throw new InvalidOperationException($"The response body exceeds its Content-Length of {max} bytes.");
        }
    }

    private long? EffectiveContentLength()
    {
        if (ResponseContentLength is { } length)
        {
            return length;
        }

        return ResponseHeaders["Content-Length"] is { } header && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    private ReadOnlyMemory<byte> BuildHead()
    {
        EnsureHeadersNotSent();
        var builder = new StringBuilder(256);
        builder.Append("HTTP/").Append(ResponseVersion).Append(' ')
            .Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase).Append("\r\n");
        if (ResponseContentLength is { } length && !ResponseHeaders.Contains("Content-Length"))
        {
            builder.Append("content-length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        foreach (var (name, value) in ResponseHeaders)
        {
            builder.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        builder.Append("\r\n");
        _sentContentLength = EffectiveContentLength();
        HeadersSent = true;
        return Encoding.Latin1.GetBytes(builder.ToString());
    }

    private void EnsureHeadersNotSent()
    {
        if (HeadersSent)
        {
            throw new InvalidOperationException("The response headers have already been sent.");
        }
    }
}
