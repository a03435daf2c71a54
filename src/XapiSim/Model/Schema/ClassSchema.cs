namespace XapiSim.Model.Schema;

/// <summary>A datamodel class: its fields in datamodel order and its messages by name.</summary>
internal sealed class ClassSchema
{
    public ClassSchema(string name, IReadOnlyList<FieldSchema> fields, IReadOnlyDictionary<string, MessageSchema> messages)
    {
        Name = name;
        Fields = fields;
        FieldsByName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Messages = messages;
    }

    /// <summary>The class name as on the wire, e.g. <c>VM</c>, <c>task</c>.</summary>
    public string Name { get; }

    /// <summary>The lower-case name used by events.</summary>
    public string EventName => Name.ToLowerInvariant();

    public IReadOnlyList<FieldSchema> Fields { get; }

    public IReadOnlyDictionary<string, FieldSchema> FieldsByName { get; }

    public IReadOnlyDictionary<string, MessageSchema> Messages { get; }

    /// <summary>True if objects of the class are stored (the class has <c>get_all_records</c> or <c>get_record</c>).</summary>
    public bool IsStored => Messages.ContainsKey("get_record");

    public bool HasNameLabel => FieldsByName.ContainsKey("name_label");

    public FieldSchema? FindField(string name) => FieldsByName.GetValueOrDefault(name);
}
