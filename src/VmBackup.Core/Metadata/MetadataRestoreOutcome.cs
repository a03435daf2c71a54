namespace VmBackup.Core.Metadata;

/// <summary>What a metadata restore did (or, in a dry run, would do) with one VM.</summary>
public enum MetadataRestoreOutcome
{
    /// <summary>The VM was re-created from its metadata.</summary>
    Created,

    /// <summary>Dry run: XAPI accepted the metadata; the VM would be created.</summary>
    WouldCreate,

    /// <summary>A VM with the same uuid exists: it is left as it is.</summary>
    Conflict,

    /// <summary>XAPI refused the metadata (e.g. a disk the SRs do not hold).</summary>
    Failed,
}
