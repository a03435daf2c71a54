using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VmBackup.Core.Reporting;

/// <summary>
/// The server-certificate check of one SMTP connection (an <see cref="SslStream"/> callback, never process-wide):
/// the system trust store and host name by default, or SHA-256 pins from <see cref="SmtpReportOptions.TlsFingerprint"/>.
/// Remembers the fingerprint of a refused certificate for the error message.
/// </summary>
internal sealed class SmtpTlsPolicy
{
    private readonly IReadOnlyList<byte[]> _pins;

    private SmtpTlsPolicy(IReadOnlyList<byte[]> pins) => _pins = pins;

    /// <summary>The SHA-256 fingerprint of the last refused certificate, <c>AA:BB:…</c>.</summary>
    public string? RefusedFingerprint { get; private set; }

    /// <summary>The reason of the last refusal (chain/name errors, or a pin mismatch).</summary>
    public string? RefusalReason { get; private set; }

    /// <exception cref="ArgumentException">A pin is not a SHA-256 fingerprint.</exception>
    public static SmtpTlsPolicy Create(string? fingerprints)
    {
        var pins = new List<byte[]>();
        foreach (var pin in (fingerprints ?? string.Empty).Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hex = pin.Replace(":", string.Empty, StringComparison.Ordinal);
            if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new ArgumentException(
                    "TlsFingerprint '" + pin + "' is not a SHA-256 fingerprint: expected 32 bytes as AA:BB:… or 64 hex digits.", nameof(fingerprints));
            }

            pins.Add(Convert.FromHexString(hex));
        }

        return new SmtpTlsPolicy(pins);
    }

    /// <summary>Formats a SHA-256 fingerprint as <c>AA:BB:…</c>.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            RefusalReason = "the server sent no certificate";
            return false;
        }

        var hash = certificate.GetCertHash(HashAlgorithmName.SHA256);
        if (_pins.Count > 0)
        {
            if (_pins.Any(pin => pin.AsSpan().SequenceEqual(hash)))
            {
                return true;
            }

            RefusedFingerprint = Fingerprint(certificate);
            RefusalReason = "it does not match the pinned fingerprint";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        RefusedFingerprint = Fingerprint(certificate);
        RefusalReason = "it is not trusted (" + errors + ")";
        return false;
    }
}
