namespace VmBackup.Core.Metadata;

/// <summary>One dated metadata backup as listed: its folder name, date (UTC), number of VM archives, total bytes and indexed SRs.</summary>
/// <param name="Name">The dated folder name (<c>YYYY-MM-DD-HH-MM-SS</c>).</param>
/// <param name="Date">The date of the backup (UTC).</param>
/// <param name="Vms">How many <c>.vmmeta</c> archives (VMs and custom templates) it holds.</param>
/// <param name="Bytes">The total size of its files (the by-SR index's symlinks not counted).</param>
/// <param name="Srs">The uuids of the SRs in its by-SR index (<see cref="MetadataBySr"/>), sorted; null when it has no index.</param>
public sealed record MetadataSetInfo(string Name, DateTime Date, int Vms, long Bytes, IReadOnlyList<string>? Srs = null)
{
    /// <inheritdoc/>
    public bool Equals(MetadataSetInfo? other) =>
        other is not null && Name == other.Name && Date == other.Date && Vms == other.Vms && Bytes == other.Bytes
        && (Srs is null ? other.Srs is null : other.Srs is not null && Srs.SequenceEqual(other.Srs, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Date, Vms, Bytes, Srs?.Count);
}
