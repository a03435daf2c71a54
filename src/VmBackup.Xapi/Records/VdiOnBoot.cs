namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>on_boot</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VdiOnBoot
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>persist</c>.</summary>
    [XenApiName("persist")]
    Persist,

    /// <summary><c>reset</c>.</summary>
    [XenApiName("reset")]
    Reset,
}
