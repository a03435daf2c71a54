using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VmBackup.Core.Tests.Reporting;

/// <summary>A self-signed server certificate for <c>localhost</c>/127.0.0.1 written as PEM files for the node server.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _folder;

    public TestCertificate()
    {
        _folder = Directory.CreateTempSubdirectory("vmbackup-smtp-cert-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        KeyFile = Path.Combine(_folder, "key.pem");
        CertificateFile = Path.Combine(_folder, "cert.pem");
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        Fingerprint = string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public string KeyFile { get; }

    public string CertificateFile { get; }

    /// <summary>SHA-256, <c>AA:BB:…</c>.</summary>
    public string Fingerprint { get; }

    public string[] ServerArgs => ["--tls-key", KeyFile, "--tls-cert", CertificateFile];

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
