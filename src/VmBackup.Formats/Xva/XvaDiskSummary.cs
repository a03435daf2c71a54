namespace VmBackup.Formats.Xva;

/// <summary>What <see cref="XvaReader"/> read for one disk.</summary>
/// <param name="Disk">The disk.</param>
/// <param name="ChunkEntries">Number of chunk entries (including 0-byte keep-alive entries).</param>
/// <param name="DataBytes">Bytes of chunk data written to the sink.</param>
public sealed record XvaDiskSummary(XvaDiskInfo Disk, int ChunkEntries, long DataBytes);
