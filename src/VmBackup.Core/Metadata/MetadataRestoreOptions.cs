namespace VmBackup.Core.Metadata;

/// <summary>Options of <see cref="MetadataRestoreService"/>.</summary>
public sealed record MetadataRestoreOptions
{
    /// <summary>The backup to restore: its folder name, or a date or date-time prefix (the newest match); null: the newest.</summary>
    public string? Date { get; init; }

    /// <summary>Only these VMs (names or uuids); empty: all of them.</summary>
    public IReadOnlyList<string> Vms { get; init; } = [];

    /// <summary>
    /// Only the VMs the backup's by-SR index lists under this SR (uuid, or name as recorded in <c>SRMETA.xml</c> or on
    /// the pool), what <c>xe-restore-metadata -m sr</c> does; null: no such filter. Combined with <see cref="Vms"/>, a
    /// VM must match both.
    /// </summary>
    public string? BySr { get; init; }

    /// <summary>Only report what would be created or conflict; change nothing.</summary>
    public bool DryRun { get; init; }
}
