namespace VmBackup.Core.Metadata;

/// <summary>What a metadata backup wrote.</summary>
/// <param name="Set">The new backup.</param>
/// <param name="Store">Where it was written.</param>
/// <param name="Kept">The backups in the store afterwards, newest first.</param>
public sealed record MetadataBackupResult(MetadataSetInfo Set, string Store, IReadOnlyList<MetadataSetInfo> Kept);
