using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace VmBackup.Xapi.Tls;

/// <summary>
/// Server certificate policy of one session, applied per handler (never process-wide): the system trust store by
/// default; SHA-256 pins instead of the chain when configured; anything when insecure is allowed. Remembers the
/// fingerprint of each refused certificate so the error can tell the user what the server presents.
/// </summary>
internal sealed class TlsPolicy
{
    private readonly IReadOnlyList<byte[]> _pins;
    private readonly bool _allowInsecure;
    private readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.OrdinalIgnoreCase);

    public TlsPolicy(string? fingerprint, bool allowInsecure)
    {
        _pins = string.IsNullOrWhiteSpace(fingerprint) ? [] : CertificateFingerprint.ParseList(fingerprint);
        _allowInsecure = allowInsecure;
    }

    public bool IsPinned => _pins.Count > 0;

    /// <summary>Creates a handler with this policy (pooling, keep-alive, no redirects, no cookies). The caller owns it.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        return handler;
    }

    /// <summary>The fingerprint of the certificate refused for <paramref name="server"/>, if one was.</summary>
    public string? RefusedFingerprint(Uri server) =>
        _refused.TryGetValue(server.Host, out var fingerprint) || _refused.TryGetValue(server.IdnHost, out fingerprint) || _refused.TryGetValue(string.Empty, out fingerprint)
            ? fingerprint
            : null;

    /// <summary>The user-facing explanation of a refused certificate.</summary>
    public string DescribeRefusal(Uri server, string fingerprint)
    {
        var origin = server.GetLeftPart(UriPartial.Authority);
        return IsPinned
            ? "The TLS certificate of " + origin + " does not match the pinned fingerprint; the server presents "
              + fingerprint + ". Check that this is the right host, then update --tls-fingerprint (TlsFingerprint)."
            : "The TLS certificate of " + origin + " is not trusted; pass --tls-fingerprint " + fingerprint
              + " (TlsFingerprint) after checking it is the server's (the server presents " + fingerprint
              + "), or --allow-insecure (AllowInsecure) in a lab.";
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_allowInsecure)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        var hash = CertificateFingerprint.Compute(certificate);
        var accepted = IsPinned
            ? _pins.Any(pin => pin.AsSpan().SequenceEqual(hash))
            : errors == SslPolicyErrors.None;
        if (!accepted)
        {
            // SocketsHttpHandler passes the request or the SslStream as sender, depending on the code path.
            var host = sender switch
            {
                HttpRequestMessage { RequestUri: { } uri } => uri.Host,
                SslStream stream => stream.TargetHostName,
                _ => string.Empty,
            };
            _refused[host] = CertificateFingerprint.Format(hash);
        }

        return accepted;
    }

}
