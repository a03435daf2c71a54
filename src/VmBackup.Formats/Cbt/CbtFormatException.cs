namespace VmBackup.Formats.Cbt;

/// <summary>A changed-block bitmap is invalid (not base64, or bits beyond the disk). The message names the byte and bit.</summary>
public sealed class CbtFormatException : DamagedInputException
{
    /// <summary>Creates the exception.</summary>
    public CbtFormatException(string message, long offset, Exception? inner = null)
        : base(message, offset, inner)
    {
    }
}
