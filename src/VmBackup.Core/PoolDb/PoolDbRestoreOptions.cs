namespace VmBackup.Core.PoolDb;

/// <summary>Options of <see cref="PoolDatabaseRestore"/>.</summary>
public sealed record PoolDbRestoreOptions
{
    /// <summary>Only check: the dump and the pool's dry run; nothing is restored.</summary>
    public bool DryRun { get; init; }

    /// <summary>Really restore (a real restore replaces the pool database and restarts the toolstack).</summary>
    public bool Yes { get; init; }

    /// <summary>Restore a dump of another pool (a foreign dump), e.g. onto a freshly installed host.</summary>
    public bool Force { get; init; }
}
