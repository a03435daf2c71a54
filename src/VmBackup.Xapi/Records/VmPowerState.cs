namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>vm_power_state</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VmPowerState
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>Halted</c>.</summary>
    [XenApiName("Halted")]
    Halted,

    /// <summary><c>Paused</c>.</summary>
    [XenApiName("Paused")]
    Paused,

    /// <summary><c>Running</c>.</summary>
    [XenApiName("Running")]
    Running,

    /// <summary><c>Suspended</c>.</summary>
    [XenApiName("Suspended")]
    Suspended,
}
