using System.Net;
using System.Text;

namespace XapiSim.Http;

/// <summary>
/// One request and its response on a connection.
/// </summary>
/// <remarks>
/// <para>Request side: method, path (undecoded, as xapi's http_svr keeps it), raw target, decoded query and cookies,
/// case-insensitive headers, endpoints, TLS flag, and the body as a <see cref="Stream"/> limited to
/// Content-Length (or decoded from chunked framing; <see cref="IsRequestChunked"/> tells which, so data-plane handlers can
/// refuse chunked uploads as XAPI does).</para>
/// <para>Response side: set <see cref="StatusCode"/>, <see cref="ReasonPhrase"/>, <see cref="ResponseVersion"/>,
/// <see cref="ResponseHeaders"/> and <see cref="ResponseContentLength"/>, then write <see cref="ResponseBody"/>. The headers
/// go out on the first body write, on <see cref="SendHeadersAsync"/> (the PUT handshake: headers before the upload is
/// read), or when the handler returns. A null <see cref="ResponseContentLength"/> means a close-delimited body (no
/// Content-Length, the connection closes after it), which is how xapi streams exports.</para>
/// <para>Not thread-safe; one handler task owns the exchange.</para>
/// </remarks>
public sealed partial class HttpExchange
{
    private readonly RequestBodyStream _requestBody;
    private IReadOnlyList<KeyValuePair<string, string>>? _query;
    private IReadOnlyList<KeyValuePair<string, string>>? _cookies;

    internal HttpExchange(RequestHead head, RequestBodyStream requestBody, ResponseWriter writer, IPEndPoint? remote, IPEndPoint? local, bool isTls)
    {
        Method = head.Method;
        RawTarget = head.RawTarget;
        Path = head.Path;
        RawQuery = head.QueryString;
        RequestVersion = head.Version;
        RequestHeaders = head.Headers;
        _requestBody = requestBody;
        _writer = writer;
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        IsTls = isTls;
        var connection = head.Headers["Connection"]?.ToLowerInvariant();
        RequestKeepAlive = connection switch
        {
            "close" => false,
            "keep-alive" => true,
            _ => head.Version != "1.0",
        };
        ResponseVersion = head.Version == "1.0" ? "1.0" : "1.1";
        ResponseBody = new ResponseBodyStream(this);
    }

    /// <summary>The request method as sent, e.g. <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The request target exactly as sent on the request line.</summary>
    public string RawTarget { get; }

    /// <summary>The path of the target, without the query, not percent-decoded (xapi routes on this).</summary>
    public string Path { get; }

    /// <summary>The query string without the <c>?</c>, not decoded.</summary>
    public string RawQuery { get; }

    /// <summary>The version from the request line without <c>HTTP/</c>, e.g. <c>1.1</c>.</summary>
    public string RequestVersion { get; }

    /// <summary>The request headers (case-insensitive lookups).</summary>
    public HttpHeaderCollection RequestHeaders { get; }

    /// <summary>Query parameters in order, percent-decoded (<c>+</c> is a space).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => _query ??= HttpParameterParser.ParseQuery(RawQuery);

    /// <summary>Cookies from every <c>Cookie:</c> header, in order, percent-decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Cookies =>
        _cookies ??= [.. RequestHeaders.GetValues("Cookie").SelectMany(HttpParameterParser.ParseCookies)];

    /// <summary>The client's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The address the request arrived on.</summary>
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>True when the connection is TLS.</summary>
    public bool IsTls { get; }

    /// <summary>True when the client asked to keep the connection open (HTTP/1.1 default; HTTP/1.0 only with <c>Connection: keep-alive</c>).</summary>
    public bool RequestKeepAlive { get; }

    /// <summary>The <c>Transfer-Encoding</c> request header, or null.</summary>
    public string? RequestTransferEncoding => RequestHeaders["Transfer-Encoding"];

    /// <summary>True when the request body uses HTTP chunked framing (any <c>Transfer-Encoding</c> containing <c>chunked</c>).</summary>
    public bool IsRequestChunked => RequestTransferEncoding?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The declared Content-Length, or null (none, or chunked).</summary>
    public long? RequestContentLength { get; internal init; }

    /// <summary>The request body: ends at Content-Length (earlier if the client closes), or decoded chunked framing; empty when neither.</summary>
    public Stream RequestBody => _requestBody;

    /// <summary>Request body bytes consumed so far.</summary>
    public long RequestBodyBytesRead => _requestBody.BytesRead;

    /// <summary>
    /// True when the body ended before its declared end: the client closed the connection before Content-Length bytes
    /// arrived (XO declares a huge length and closes when done), or broke the chunked framing. Meaningful once a read returned 0.
    /// </summary>
    public bool RequestBodyIncomplete => _requestBody.IsBroken;

    internal RequestBodyStream RequestBodyInternal => _requestBody;

    /// <summary>The first value of <paramref name="name"/> in the query string, or null.</summary>
    public string? GetQueryValue(string name) => Find(Query, name);

    /// <summary>The first cookie named <paramref name="name"/>, or null.</summary>
    public string? GetCookie(string name) => Find(Cookies, name);

    /// <summary>A parameter as xapi's HTTP handlers look it up: the <c>Cookie:</c> header first, then the query string.</summary>
    public string? GetParameter(string name) => GetCookie(name) ?? GetQueryValue(name);

    /// <summary>Decodes <c>Authorization: Basic</c>; false when absent or not Basic or malformed.</summary>
    public bool TryGetBasicCredentials(out string userName, out string password)
    {
        userName = password = string.Empty;
        var header = RequestHeaders["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            userName = decoded[..colon];
            password = decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> pairs, string name)
    {
        foreach (var (key, value) in pairs)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
