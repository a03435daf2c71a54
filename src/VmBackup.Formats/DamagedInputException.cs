namespace VmBackup.Formats;

/// <summary>
/// Base of the exceptions the format readers raise for a damaged input (bad checksum, wrong magic, truncated stream,
/// out-of-range field). The message always names what is wrong and where (entry or field, and byte offset).
/// </summary>
public abstract class DamagedInputException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected DamagedInputException(string message, long offset, Exception? inner = null)
        : base(message, inner)
    {
        Offset = offset;
    }

    /// <summary>Byte offset (in the uncompressed stream or file) where the damage was detected.</summary>
    public long Offset { get; }
}
