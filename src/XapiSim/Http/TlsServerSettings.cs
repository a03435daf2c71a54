using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace XapiSim.Http;

/// <summary>Server-side TLS parameters shared by all connections (TLS 1.2 and 1.3, no client certificate).</summary>
internal sealed class TlsServerSettings(X509Certificate2 certificate)
{
    private readonly SslStreamCertificateContext _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);

    public SslServerAuthenticationOptions CreateOptions() => new()
    {
        ServerCertificateContext = _context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };
}
