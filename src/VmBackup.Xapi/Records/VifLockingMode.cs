namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>vif_locking_mode</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VifLockingMode
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>network_default</c>.</summary>
    [XenApiName("network_default")]
    NetworkDefault,

    /// <summary><c>locked</c>.</summary>
    [XenApiName("locked")]
    Locked,

    /// <summary><c>unlocked</c>.</summary>
    [XenApiName("unlocked")]
    Unlocked,

    /// <summary><c>disabled</c>.</summary>
    [XenApiName("disabled")]
    Disabled,
}
