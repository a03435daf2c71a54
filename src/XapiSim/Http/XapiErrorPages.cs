using System.Text;

namespace XapiSim.Http;

/// <summary>The HTML bodies of xapi's http_svr error responses, word for word.</summary>
internal static class XapiErrorPages
{
    public const string Unauthorised =
        "<html><body><h1>HTTP 401 unauthorised</h1>Please check your credentials and retry.</body></html>";

    public const string Forbidden =
        "<html><body><h1>HTTP 403 forbidden</h1>Access to the requested resource is forbidden.</body></html>";

    public const string BadRequest =
        "<html><body><h1>HTTP 400 bad request</h1>The HTTP request was malformed. Please correct and retry.</body></html>";

    public const string RequestTimeout =
        "<html><body><h1>HTTP 408 request timeout</h1>Timed out waiting for the request.</body></html>";

    public const string HeaderFieldsTooLarge =
        "<html><body><h1>HTTP 431 request header fields too large</h1>Exceeded the maximum header size.</body></html>";

    public const string HeadersNotParsed = "The HTTP headers could not be parsed.";

    public static string InternalError(string? extra) =>
        "<html><body><h1>HTTP 500 internal server error</h1>An unexpected error occurred; please wait a while and try again. "
        + "If the problem persists, please contact your support representative."
        + (extra is null ? string.Empty : "<h1> Additional information </h1>" + extra)
        + "</body></html>";

    public static string MethodNotImplemented(string method) =>
        "<html><body><h1>HTTP 501 Method Not Implemented</h1><p>" + method + " not supported.<br /></p></body></html>";

    /// <summary>xapi's <c>escape_html</c>: the five XML special characters.</summary>
    public static string EscapeHtml(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&apos;",
                '"' => "&quot;",
                '&' => "&amp;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
