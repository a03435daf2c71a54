namespace XapiSim.Model.Schema;

/// <summary>One field of a class: its name, type, qualifier (<c>RW</c>, <c>RO/constructor</c>, <c>RO/runtime</c>) and datamodel default.</summary>
internal sealed record FieldSchema(string Name, XapiType Type, string Qualifier, string? DefaultText)
{
    /// <summary>True if XAPI generates a setter for the field.</summary>
    public bool IsReadWrite => Qualifier == "RW";

    /// <summary>True if the field is given to the constructor (RW or RO/constructor).</summary>
    public bool IsConstructorField => Qualifier is "RW" or "RO/constructor";
}
