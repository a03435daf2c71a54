namespace VmBackup.Core.Metadata;

/// <summary>What the first bytes of a <c>Pool Metadata Backup</c> VDI hold (see <see cref="MetadataArchive.Classify"/>).</summary>
public enum MetadataArchiveContent
{
    /// <summary>All zeros: a new VDI.</summary>
    Empty,

    /// <summary>A VmBackup metadata archive.</summary>
    Archive,

    /// <summary>Something else (e.g. <c>xe-backup-metadata</c>'s ext3 file system): never overwritten.</summary>
    Foreign,
}
