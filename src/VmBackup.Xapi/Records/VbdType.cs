namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>vbd_type</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VbdType
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>CD</c>.</summary>
    [XenApiName("CD")]
    CD,

    /// <summary><c>Disk</c>.</summary>
    [XenApiName("Disk")]
    Disk,

    /// <summary><c>Floppy</c>.</summary>
    [XenApiName("Floppy")]
    Floppy,
}
