namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>vdi_type</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VdiType
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>system</c>.</summary>
    [XenApiName("system")]
    System,

    /// <summary><c>user</c>.</summary>
    [XenApiName("user")]
    User,

    /// <summary><c>ephemeral</c>.</summary>
    [XenApiName("ephemeral")]
    Ephemeral,

    /// <summary><c>suspend</c>.</summary>
    [XenApiName("suspend")]
    Suspend,

    /// <summary><c>crashdump</c>.</summary>
    [XenApiName("crashdump")]
    Crashdump,

    /// <summary><c>ha_statefile</c>.</summary>
    [XenApiName("ha_statefile")]
    HaStatefile,

    /// <summary><c>metadata</c>.</summary>
    [XenApiName("metadata")]
    Metadata,

    /// <summary><c>redo_log</c>.</summary>
    [XenApiName("redo_log")]
    RedoLog,

    /// <summary><c>rrd</c>.</summary>
    [XenApiName("rrd")]
    Rrd,

    /// <summary><c>pvs_cache</c>.</summary>
    [XenApiName("pvs_cache")]
    PvsCache,

    /// <summary><c>cbt_metadata</c>.</summary>
    [XenApiName("cbt_metadata")]
    CbtMetadata,
}
