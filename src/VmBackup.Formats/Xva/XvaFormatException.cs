namespace VmBackup.Formats.Xva;

/// <summary>An XVA is damaged (bad checksum, missing checksum entry, out-of-order chunk, truncated, …). The message names the entry and offset.</summary>
public sealed class XvaFormatException : DamagedInputException
{
    /// <summary>Creates the exception.</summary>
    public XvaFormatException(string message, string? entryName, long offset, Exception? inner = null)
        : base(message, offset, inner)
    {
        EntryName = entryName;
    }

    /// <summary>The tar entry concerned, when known.</summary>
    public string? EntryName { get; }
}
