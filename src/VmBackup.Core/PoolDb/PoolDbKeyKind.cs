namespace VmBackup.Core.PoolDb;

/// <summary>Where the key of an encrypted pool database dump comes from (stored in the container header).</summary>
public enum PoolDbKeyKind : byte
{
    /// <summary>A 32-byte key file; the file key is HKDF-SHA256(key, salt).</summary>
    KeyFile = 1,

    /// <summary>A passphrase; the file key is PBKDF2-HMAC-SHA256(passphrase, salt, iterations).</summary>
    Passphrase = 2,
}
