namespace VmBackup.Xapi;

/// <summary>Any XAPI object reference, whatever its class; lets encoders write a <see cref="XenRef{T}"/> without knowing <c>T</c>.</summary>
public interface IXenRef
{
    /// <summary>The opaque reference, <c>OpaqueRef:NULL</c> for the null reference.</summary>
    string OpaqueRef { get; }

    /// <summary>Whether this is the null reference.</summary>
    bool IsNull { get; }
}
