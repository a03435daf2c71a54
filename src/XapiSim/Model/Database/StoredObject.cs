using XapiSim.Model.Schema;

namespace XapiSim.Model.Database;

/// <summary>One row of the database. Mutated only under the database lock.</summary>
internal sealed class StoredObject
{
    public StoredObject(string reference, ClassSchema schema, Dictionary<string, object> fields, long created)
    {
        Ref = reference;
        Schema = schema;
        Fields = fields;
        Created = created;
        Modified = created;
    }

    public string Ref { get; }

    public ClassSchema Schema { get; }

    /// <summary>Stored field values (relation set fields are not stored).</summary>
    public Dictionary<string, object> Fields { get; }

    /// <summary>The generation at which the object was created.</summary>
    public long Created { get; }

    /// <summary>The generation of the last change.</summary>
    public long Modified { get; set; }

    public string Uuid => Fields.TryGetValue("uuid", out var uuid) ? (string)uuid : string.Empty;
}
