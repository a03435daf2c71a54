namespace VmBackup.Formats.Vhd;

/// <summary>A VHD is damaged (wrong cookie, bad checksum, BAT entry out of range or overlapping, truncated block, footer mismatch). The message names the field and offset.</summary>
public sealed class VhdFormatException : DamagedInputException
{
    /// <summary>Creates the exception.</summary>
    public VhdFormatException(string message, string field, long offset)
        : base(message, offset)
    {
        Field = field;
    }

    /// <summary>The structure or field concerned (e.g. <c>footer.cookie</c>, <c>BAT[12]</c>).</summary>
    public string Field { get; }
}
