using System.Security.Cryptography.X509Certificates;

namespace XapiSim.Http;

/// <summary>Makes the TLS certificate a fresh XAPI host would have: self-signed, generated at start. CONTRACT STUB.</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string hostName) => throw new NotImplementedException();

    /// <summary>SHA-256 of the DER certificate, as colon-separated upper-case hex pairs.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) => throw new NotImplementedException();
}
