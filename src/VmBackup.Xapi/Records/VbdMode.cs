namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>vbd_mode</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VbdMode
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>RO</c>.</summary>
    [XenApiName("RO")]
    ReadOnly,

    /// <summary><c>RW</c>.</summary>
    [XenApiName("RW")]
    ReadWrite,
}
