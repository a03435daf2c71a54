namespace VmBackup.Xapi;

/// <summary>The exact wire spelling of an enum member of a XAPI enum type (e.g. <c>Halted</c>, <c>cbt_metadata</c>).</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class XenApiNameAttribute : Attribute
{
    /// <summary>Declares the wire spelling.</summary>
    public XenApiNameAttribute(string name) => Name = name;

    /// <summary>The wire spelling.</summary>
    public string Name { get; }
}
