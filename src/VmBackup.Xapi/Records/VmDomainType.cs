namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>domain_type</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum VmDomainType
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>hvm</c>.</summary>
    [XenApiName("hvm")]
    Hvm,

    /// <summary><c>pv</c>.</summary>
    [XenApiName("pv")]
    Pv,

    /// <summary><c>pv_in_pvh</c>.</summary>
    [XenApiName("pv_in_pvh")]
    PvInPvh,

    /// <summary><c>pvh</c>.</summary>
    [XenApiName("pvh")]
    Pvh,

    /// <summary><c>unspecified</c>.</summary>
    [XenApiName("unspecified")]
    Unspecified,
}
