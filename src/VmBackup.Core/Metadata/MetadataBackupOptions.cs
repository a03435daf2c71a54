namespace VmBackup.Core.Metadata;

/// <summary>Options of a VM metadata backup (<see cref="MetadataBackupService"/>).</summary>
public sealed record MetadataBackupOptions
{
    /// <summary>The default number of backups kept (what <c>xe-backup-metadata</c> kept before April 2025).</summary>
    public const int DefaultKeep = 25;

    /// <summary>How many dated backups to keep, newest first.</summary>
    /// <value>The default value is 25.</value>
    public int Keep { get; init; } = DefaultKeep;

    /// <summary>The clock that names the dated folder.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
