using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XapiSim.Http;

/// <summary>Makes the TLS certificate a fresh XAPI host would have: self-signed, generated at start.</summary>
public static class SelfSignedCertificate
{
    /// <summary>
    /// An RSA 2048 / SHA-256 certificate with CN = <paramref name="hostName"/>, SAN DNS <paramref name="hostName"/> and IP
    /// 127.0.0.1, server-auth usage, valid from one day ago for ten years. The private key is usable by
    /// <see cref="System.Net.Security.SslStream"/> on Linux (the certificate is round-tripped through PKCS#12).
    /// The caller disposes it.
    /// </summary>
    public static X509Certificate2 Create(string hostName)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + hostName), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>SHA-256 of the DER certificate, as colon-separated upper-case hex pairs.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hex = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }
}
