namespace VmBackup.Xapi;

/// <summary>
/// A typed XAPI record (the struct returned by <c>&lt;class&gt;.get_record</c>). Implementations read the fields they
/// model, tolerate extra and missing fields (missing fields take their type's empty value) and convert each field by
/// the type XAPI declares for it.
/// </summary>
/// <typeparam name="TSelf">The record type itself.</typeparam>
public interface IXenApiRecord<TSelf>
    where TSelf : IXenApiRecord<TSelf>
{
    /// <summary>The XAPI class name as used in method names, e.g. <c>VM</c>, <c>VDI</c>, <c>task</c>.</summary>
    static abstract string ClassName { get; }

    /// <summary>Builds the record from a decoded XAPI struct (see <see cref="XenApiSession.CallAsync{T}"/> for the raw value model).</summary>
    static abstract TSelf FromStruct(IReadOnlyDictionary<string, object?> fields);
}
