namespace VmBackup.Core.Metadata;

/// <summary>Where dated metadata backups are kept: a folder, or the pool's <c>Pool Metadata Backup</c> VDI.</summary>
public interface IMetadataStore
{
    /// <summary>A description for messages (a folder path, or the VDI and its SR).</summary>
    string Description { get; }

    /// <summary>The backups, newest first.</summary>
    Task<IReadOnlyList<MetadataSetInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Reads the backup named <paramref name="name"/>.</summary>
    /// <exception cref="MetadataBackupException">There is no such backup.</exception>
    Task<MetadataSet> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="set"/> and removes the oldest backups so that at most <paramref name="keep"/> remain. Either
    /// all of it happens or nothing changes.
    /// </summary>
    /// <exception cref="MetadataBackupException">The backup cannot be stored (e.g. it does not fit).</exception>
    Task SaveAsync(MetadataSet set, int keep, CancellationToken cancellationToken);
}
