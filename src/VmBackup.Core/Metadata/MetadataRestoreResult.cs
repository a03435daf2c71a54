namespace VmBackup.Core.Metadata;

/// <summary>What a metadata restore did.</summary>
/// <param name="Set">The backup restored from.</param>
/// <param name="Items">One line per VM, in the backup's order.</param>
/// <param name="VdiNamesRestored">How many VDI names and descriptions were set back from <c>SRMETA.xml</c>.</param>
public sealed record MetadataRestoreResult(string Set, IReadOnlyList<MetadataRestoreItem> Items, int VdiNamesRestored);
