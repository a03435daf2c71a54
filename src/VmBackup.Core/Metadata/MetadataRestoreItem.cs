namespace VmBackup.Core.Metadata;

/// <summary>One VM of a metadata restore.</summary>
/// <param name="VmUuid">The VM's uuid (kept by the restore).</param>
/// <param name="VmName">The VM's name in the backup.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">The conflicting VM or XAPI's error; null when created.</param>
public sealed record MetadataRestoreItem(string VmUuid, string VmName, MetadataRestoreOutcome Outcome, string? Detail);
