namespace VmBackup.Core.Metadata;

/// <summary>Options of <see cref="MetadataRestoreService"/>.</summary>
public sealed record MetadataRestoreOptions
{
    /// <summary>The backup to restore: its folder name, or a date or date-time prefix (the newest match); null: the newest.</summary>
    public string? Date { get; init; }

    /// <summary>Only these VMs (names or uuids); empty: all of them.</summary>
    public IReadOnlyList<string> Vms { get; init; } = [];

    /// <summary>Only report what would be created or conflict; change nothing.</summary>
    public bool DryRun { get; init; }
}
