namespace XapiSim.Http;

/// <summary>Tuning for <see cref="HttpServer"/>; the defaults are xapi's.</summary>
public sealed record HttpServerOptions
{
    /// <summary>
    /// The largest request head (request line, headers and the blank line) accepted; beyond it the answer is
    /// <c>431</c>. The default is xapi's <c>max_header_length_tcp</c>, 1024 bytes. At most 65536.
    /// </summary>
    public int MaxRequestHeadBytes { get; init; } = 1024;

    /// <summary>How long the first request head of a connection may take (then <c>408</c>); later requests on a kept-alive connection wait without limit, as in xapi.</summary>
    public TimeSpan FirstRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a TLS handshake may take.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Unread request body bytes that are skipped to keep a connection alive; a larger rest closes it.</summary>
    public long MaxDrainBytes { get; init; } = 1024 * 1024;
}
