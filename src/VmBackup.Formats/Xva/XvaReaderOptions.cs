namespace VmBackup.Formats.Xva;

/// <summary>Options of <see cref="XvaReader"/>.</summary>
public sealed record XvaReaderOptions
{
    /// <summary>Verify each chunk's checksum entry (XAPI's import without <c>force</c>). <value>The default is true.</value></summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Largest chunk entry accepted; XAPI writes 1 MiB. <value>The default is 64 MiB.</value></summary>
    public int MaxChunkSize { get; init; } = 64 * 1024 * 1024;
}
