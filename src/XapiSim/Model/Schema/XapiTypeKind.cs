namespace XapiSim.Model.Schema;

/// <summary>The shape of a XenAPI type.</summary>
internal enum XapiTypeKind
{
    String,
    Int,
    Float,
    Bool,
    DateTime,
    Enum,
    Ref,
    Set,
    Map,
    Record,
    Option,
    Void,
    Other,
}
