using System.Security.Cryptography;
using System.Text;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// The secret that encrypts pool database dumps: the 32 bytes of a key file (mode 0600, raw or base64) or a
/// passphrase. Each file gets its own key derived with a random salt (<see cref="PoolDbCipher"/>). The secret is zeroed
/// on dispose and never appears in messages.
/// </summary>
public sealed class PoolDbKey : IDisposable
{
    /// <summary>The length of a key file's key.</summary>
    public const int KeyLength = 32;

    /// <summary>PBKDF2-HMAC-SHA256 iterations used when encrypting with a passphrase.</summary>
    public const int DefaultIterations = 600_000;

    private static readonly byte[] HkdfInfo = Encoding.ASCII.GetBytes("vmbackup pool-db v1");
    private readonly byte[] _secret;

    private PoolDbKey(PoolDbKeyKind kind, byte[] secret)
    {
        Kind = kind;
        _secret = secret;
    }

    /// <summary>Key file or passphrase.</summary>
    public PoolDbKeyKind Kind { get; }

    /// <summary>
    /// Reads a key file: 32 raw bytes, or their base64 on one line. On Unix the file must not be readable by group or
    /// others (mode 0600 or 0400), else it is refused.
    /// </summary>
    /// <exception cref="PoolDbException">Unreadable, too open, or not 32 bytes.</exception>
    public static PoolDbKey FromKeyFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] content;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                if ((mode & open) != 0)
                {
                    throw new PoolDbException($"key file {path} is accessible by group or others (mode {Octal(mode)}): refused; run chmod 600 {path}");
                }
            }

            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PoolDbException($"cannot read key file {path}: {e.Message}", e);
        }

        try
        {
            if (content.Length == KeyLength)
            {
                return new PoolDbKey(PoolDbKeyKind.KeyFile, content);
            }

            var text = Encoding.ASCII.GetString(content).Trim();
            var decoded = new byte[KeyLength];
            if (Convert.TryFromBase64String(text, decoded, out var written) && written == KeyLength)
            {
                return new PoolDbKey(PoolDbKeyKind.KeyFile, decoded);
            }

            CryptographicOperations.ZeroMemory(decoded);
            throw new PoolDbException($"key file {path} does not hold a {KeyLength}-byte key (raw, or base64 on one line)");
        }
        finally
        {
            if (content.Length != KeyLength)
            {
                CryptographicOperations.ZeroMemory(content);
            }
        }
    }

    /// <summary>A passphrase (from the environment or a file, never from the command line).</summary>
    public static PoolDbKey FromPassphrase(string passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        return new PoolDbKey(PoolDbKeyKind.Passphrase, Encoding.UTF8.GetBytes(passphrase));
    }

    /// <summary>Writes a new random key file (base64, mode 0600) atomically; refuses to overwrite one.</summary>
    public static void Generate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            throw new PoolDbException($"key file {path} exists: not overwritten");
        }

        var key = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            using var file = PrivateFile.Create(path);
            var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n");
            file.Stream.Write(text);
            CryptographicOperations.ZeroMemory(text);
            file.Commit();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);

    /// <summary>The key of one file.</summary>
    internal byte[] DeriveFileKey(ReadOnlySpan<byte> salt, int iterations) => Kind switch
    {
        PoolDbKeyKind.KeyFile => HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, KeyLength, salt.ToArray(), HkdfInfo),
        _ => Rfc2898DeriveBytes.Pbkdf2(_secret, salt, iterations, HashAlgorithmName.SHA256, KeyLength),
    };

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}
