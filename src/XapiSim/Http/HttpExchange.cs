namespace XapiSim.Http;

/// <summary>
/// One request and its response on a connection. CONTRACT STUB: the wire layer fills this in
/// (request line, headers, query, cookies, body stream limited to Content-Length, response with
/// full control of status-line version, headers, flushing headers before reading the body,
/// close-delimited bodies).
/// </summary>
public sealed partial class HttpExchange
{
}
