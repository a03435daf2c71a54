namespace VmBackup.Xapi.Events;

/// <summary>The <c>operation</c> of an event returned by <c>event.from</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum XenEventOperation
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>add</c>.</summary>
    [XenApiName("add")]
    Add,

    /// <summary><c>mod</c>.</summary>
    [XenApiName("mod")]
    Mod,

    /// <summary><c>del</c>.</summary>
    [XenApiName("del")]
    Del,
}
