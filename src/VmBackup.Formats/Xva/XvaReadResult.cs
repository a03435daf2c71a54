using VmBackup.Formats.Compression;

namespace VmBackup.Formats.Xva;

/// <summary>Result of <see cref="XvaReader.ReadAsync"/>.</summary>
public sealed record XvaReadResult(OvaXml Metadata, CompressionKind Compression, IReadOnlyList<XvaDiskSummary> Disks);
