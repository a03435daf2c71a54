namespace VmBackup.Formats.Compression;

/// <summary>Thrown when zstd is needed but the system library <c>libzstd.so.1</c> cannot be loaded.</summary>
public sealed class ZstdUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception with the standard one-line explanation.</summary>
    public ZstdUnavailableException(Exception inner)
        : base("zstd compression needs the system library libzstd.so.1, which could not be loaded (install the 'libzstd1' package).", inner)
    {
    }
}
