namespace VmBackup.Formats.Compression;

/// <summary>Whole-stream compression of an XVA (or any other stream).</summary>
public enum CompressionKind
{
    /// <summary>Not compressed.</summary>
    None,

    /// <summary>gzip (RFC 1952), magic <c>1F 8B</c>.</summary>
    Gzip,

    /// <summary>zstd, magic <c>28 B5 2F FD</c>.</summary>
    Zstd,
}
