namespace VmBackup.Formats.Tar;

/// <summary>A tar stream is damaged: bad header checksum, bad field, or truncated. The message names the entry and offset.</summary>
public sealed class TarFormatException : DamagedInputException
{
    /// <summary>Creates the exception.</summary>
    public TarFormatException(string message, string? entryName, long offset)
        : base(message, offset)
    {
        EntryName = entryName;
    }

    /// <summary>The entry concerned, when known.</summary>
    public string? EntryName { get; }
}
