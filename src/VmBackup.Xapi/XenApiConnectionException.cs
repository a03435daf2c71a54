namespace VmBackup.Xapi;

/// <summary>
/// XAPI could not be reached or did not speak the protocol: network error, TLS certificate refused, HTTP status other
/// than 2xx, timeout, or a reply that is not a XenAPI envelope. The message names the server and says what to do;
/// it never contains call arguments.
/// </summary>
public sealed class XenApiConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XenApiConnectionException(string message, Uri? server, Exception? innerException = null)
        : base(message, innerException)
    {
        Server = server;
    }

    /// <summary>The server (scheme, host, port) the failing request went to, when known.</summary>
    public Uri? Server { get; }

    /// <summary>The HTTP status code, when the failure was an HTTP status other than 2xx.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>
    /// The SHA-256 fingerprint (<c>AA:BB:…</c>) of the certificate the server presented, when the failure was a
    /// refused TLS certificate; pass it as <see cref="XenApiClientOptions.TlsFingerprint"/> after checking it.
    /// </summary>
    public string? PresentedCertificateFingerprint { get; init; }
}
