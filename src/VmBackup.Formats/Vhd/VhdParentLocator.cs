namespace VmBackup.Formats.Vhd;

/// <summary>One of the 8 parent locator entries of a dynamic header (§5.2).</summary>
/// <param name="PlatformCode">Code, e.g. <see cref="MacX"/>; 0 = unused.</param>
/// <param name="PlatformDataSpace">Space reserved, as stored (sectors per the spec; some writers store bytes).</param>
/// <param name="PlatformDataLength">Length of the locator data in bytes.</param>
/// <param name="PlatformDataOffset">File offset of the locator data.</param>
public readonly record struct VhdParentLocator(uint PlatformCode, uint PlatformDataSpace, uint PlatformDataLength, ulong PlatformDataOffset)
{
    /// <summary><c>MacX</c>: a UTF-8 <c>file://</c> URI.</summary>
    public const uint MacX = 0x4D616358;
}
