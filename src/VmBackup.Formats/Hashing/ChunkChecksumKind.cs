namespace VmBackup.Formats.Hashing;

/// <summary>The per-chunk checksum entry an XVA carries after each data chunk.</summary>
public enum ChunkChecksumKind
{
    /// <summary><c>.xxhash</c>: XXH64 (seed 0) as 16 upper-case hex digits. What current XAPI writes.</summary>
    Xxhash,

    /// <summary><c>.checksum</c>: SHA-1 as 40 lower-case hex digits. Legacy form, still accepted by XAPI.</summary>
    Sha1,
}
