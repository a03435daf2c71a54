namespace VmBackup.Xapi.Records;

/// <summary>XAPI's <c>task_status_type</c>. Values XAPI adds later read as <see cref="Unknown"/>.</summary>
public enum XenTaskStatus
{
    /// <summary>A value this client does not know.</summary>
    Unknown = 0,

    /// <summary><c>pending</c>.</summary>
    [XenApiName("pending")]
    Pending,

    /// <summary><c>success</c>.</summary>
    [XenApiName("success")]
    Success,

    /// <summary><c>failure</c>.</summary>
    [XenApiName("failure")]
    Failure,

    /// <summary><c>cancelling</c>.</summary>
    [XenApiName("cancelling")]
    Cancelling,

    /// <summary><c>cancelled</c>.</summary>
    [XenApiName("cancelled")]
    Cancelled,
}
