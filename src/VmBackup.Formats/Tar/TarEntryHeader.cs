namespace VmBackup.Formats.Tar;

/// <summary>One tar entry as read from a stream.</summary>
/// <param name="Name">Full name (GNU long names and ustar prefixes resolved).</param>
/// <param name="Size">Data size in bytes.</param>
/// <param name="ModificationTime">mtime, seconds since the Unix epoch.</param>
/// <param name="TypeFlag">Type flag byte (<c>0</c> or <c>'0'</c> for regular files).</param>
/// <param name="HeaderOffset">Offset of the (last) header block in the tar stream.</param>
/// <param name="DataOffset">Offset of the first data byte in the tar stream.</param>
public sealed record TarEntryHeader(string Name, long Size, long ModificationTime, byte TypeFlag, long HeaderOffset, long DataOffset)
{
    /// <summary>True for regular files (type <c>\0</c> or <c>'0'</c>, or the old-style <c>'7'</c>).</summary>
    public bool IsRegularFile => TypeFlag is 0 or (byte)'0' or (byte)'7';
}
