using System.Net;
using System.Security.Authentication;
using System.Text;

namespace VmBackup.Xapi.Transfers;

/// <summary>
/// XAPI's HTTP handlers (export and import of VMs, VDIs, metadata, pool database, host backups) over a logged-in
/// <see cref="XenApiSession"/>. Thread-safe; each transfer runs on its own connection with the session's TLS policy
/// (certificate pin or insecure opt-out, also after a redirect to another pool member).
/// </summary>
/// <remarks>
/// <para>
/// Every transfer creates its task first (<c>task.create</c>, as the xe CLI does) and passes <c>session_id</c> and
/// <c>task_id</c> in the query. The task is destroyed when the transfer ends, whatever its outcome. Failures the server
/// reports through the task (an HTTP 4xx/5xx answer, a cut connection) surface as <see cref="XenApiException"/> with the
/// task's <c>error_info</c>; other transport failures as <see cref="XenApiConnectionException"/>. Messages never contain
/// the session reference (it is in the query string, so no URL with a query is ever put in a message).
/// </para>
/// <para>
/// <c>302 Found</c> (XAPI redirects when another host must serve the transfer) is followed up to
/// <see cref="XenApiTransferOptions.MaxRedirects"/> times, for uploads too: they announce <c>Expect: 100-continue</c>
/// and so do not send the body before the headers arrive (XAPI writes its headers before reading the body); should a
/// redirect come after the body started, a seekable source is rewound and a non-seekable one fails the import.
/// </para>
/// <para>
/// Uploads need their length (XAPI refuses <c>Transfer-Encoding: chunked</c>): pass it, or a seekable stream whose
/// remaining length is used.
/// </para>
/// </remarks>
public sealed partial class XenApiTransfers
{
    private static readonly HttpMethod PutMethod = HttpMethod.Put;

    private readonly XenApiSession _session;

    /// <summary>Creates the transfer API over <paramref name="session"/>.</summary>
    public XenApiTransfers(XenApiSession session, XenApiTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        Options = options ?? new XenApiTransferOptions();
        if (Options.MaxRedirects < 0 || Options.UploadBufferSize < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxRedirects must be >= 0 and UploadBufferSize >= 4096.");
        }
    }

    /// <summary>The transfer options.</summary>
    public XenApiTransferOptions Options { get; }

    private HttpClient NewClient()
    {
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler.
        var handler = _session.CreateHttpHandler();
#pragma warning restore CA2000
        handler.Expect100ContinueTimeout = Options.HeadersBeforeBodyTimeout;
        handler.PooledConnectionLifetime = Timeout.InfiniteTimeSpan;
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private Uri BuildUri(Uri? server, string path, IEnumerable<KeyValuePair<string, string>> query, TransferTask task)
    {
        var text = new StringBuilder(path);
        text.Append("?session_id=").Append(Uri.EscapeDataString(_session.SessionId));
        text.Append("&task_id=").Append(Uri.EscapeDataString(task.Ref.OpaqueRef));
        foreach (var (key, value) in query)
        {
            text.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new Uri(server ?? _session.ServerUri, text.ToString());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ConnectionFailure(what, uri, e);
        }
    }

    private static XenApiConnectionException ConnectionFailure(string what, Uri uri, Exception e)
    {
        var tls = e.InnerException is AuthenticationException || e is AuthenticationException;
        var message = what + ": cannot transfer with " + Where(uri) + (tls
            ? ": its TLS certificate was refused (the session's TLS policy applies to every pool member; pin each member's fingerprint)."
            : ": " + e.Message);
        return new XenApiConnectionException(message, TransferTask.Authority(uri), e);
    }

    /// <summary>Scheme, host, port and path: never the query, which holds the session reference.</summary>
    private static string Where(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private Uri RedirectTarget(HttpResponseMessage response, Uri current, int hop, string what)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            throw new XenApiConnectionException(what + ": " + Where(current) + " answered " + (int)response.StatusCode + " without a Location.", TransferTask.Authority(current))
            {
                HttpStatusCode = (int)response.StatusCode,
            };
        }

        if (hop >= Options.MaxRedirects)
        {
            throw new XenApiConnectionException(what + ": more than " + Options.MaxRedirects + " redirects (last from " + Where(current) + ").", TransferTask.Authority(current))
            {
                HttpStatusCode = (int)response.StatusCode,
            };
        }

        var target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new XenApiConnectionException(what + ": " + Where(current) + " redirected to an unsupported scheme.", TransferTask.Authority(current));
        }

        _session.Options.Trace?.Invoke(what + ": redirected from " + current.GetLeftPart(UriPartial.Authority) + " to " + target.GetLeftPart(UriPartial.Authority));
        return target;
    }

    private async Task<Exception> HttpFailureAsync(TransferTask task, HttpResponseMessage response, Uri uri, string what, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallback = new XenApiConnectionException(
            what + ": " + Where(uri) + " answered HTTP " + status + " " + response.ReasonPhrase + " and the task reported no error.",
            TransferTask.Authority(uri))
        {
            HttpStatusCode = status,
        };
        response.Dispose();
        return await task.FailureAsync(fallback, cancellationToken).ConfigureAwait(false);
    }
}
