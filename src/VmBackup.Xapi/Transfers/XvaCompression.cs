namespace VmBackup.Xapi.Transfers;

/// <summary>Compression XAPI applies to a whole XVA export (<c>/export?use_compression=</c>).</summary>
public enum XvaCompression
{
    /// <summary>A plain tar (<c>use_compression=false</c>).</summary>
    None,

    /// <summary>gzip (<c>use_compression=true</c>).</summary>
    Gzip,

    /// <summary>zstd (<c>use_compression=zstd</c>).</summary>
    Zstd,
}
