using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VmBackup.Xapi.Tls;

/// <summary>SHA-256 certificate fingerprints: computing, formatting (<c>AA:BB:…</c>) and parsing user input.</summary>
internal static class CertificateFingerprint
{
    public static byte[] Compute(X509Certificate certificate) => certificate.GetCertHash(HashAlgorithmName.SHA256);

    public static string Format(ReadOnlySpan<byte> hash) => string.Join(':', hash.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>Parses one or more pins separated by commas, semicolons or whitespace; each <c>AA:BB:…</c> or plain hex.</summary>
    /// <exception cref="ArgumentException">A pin is not 32 bytes of hex.</exception>
    public static IReadOnlyList<byte[]> ParseList(string pins)
    {
        var result = new List<byte[]>();
        foreach (var pin in pins.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            result.Add(Parse(pin));
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("TlsFingerprint is empty; give the SHA-256 fingerprint of the server certificate (AA:BB:… or hex).", nameof(pins));
        }

        return result;
    }

    public static byte[] Parse(string pin)
    {
        var hex = pin.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException(
                "TlsFingerprint '" + pin + "' is not a SHA-256 fingerprint: expected 32 bytes as AA:BB:… or 64 hex digits.", nameof(pin));
        }

        return Convert.FromHexString(hex);
    }
}
