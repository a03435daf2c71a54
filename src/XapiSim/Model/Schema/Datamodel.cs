namespace XapiSim.Model.Schema;

/// <summary>
/// The XenAPI datamodel (every class, field, message and enum), parsed once from <see cref="SchemaText"/>.
/// Immutable and shared.
/// </summary>
internal sealed class Datamodel
{
    private static readonly Lazy<Datamodel> LazyInstance = new(() => Parse(SchemaText.Value));

    private Datamodel(IReadOnlyDictionary<string, ClassSchema> classes, IReadOnlyDictionary<string, IReadOnlyList<string>> enums)
    {
        Classes = classes;
        Enums = enums;
        ByEventName = classes.Values.ToDictionary(c => c.EventName, StringComparer.Ordinal);
    }

    public static Datamodel Instance => LazyInstance.Value;

    /// <summary>Classes by wire name (case-sensitive, as XAPI).</summary>
    public IReadOnlyDictionary<string, ClassSchema> Classes { get; }

    /// <summary>Classes by lower-case name, as events name them.</summary>
    public IReadOnlyDictionary<string, ClassSchema> ByEventName { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; }

    public ClassSchema this[string className] => Classes[className];

    private static Datamodel Parse(string text)
    {
        var classes = new Dictionary<string, ClassSchema>(StringComparer.Ordinal);
        var enums = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        string? current = null;
        var fields = new List<FieldSchema>();
        var messages = new Dictionary<string, MessageSchema>(StringComparer.Ordinal);

        void Flush()
        {
            if (current is not null)
            {
                // XAPI also serves two messages hidden from its API description for every class with get_all_records.
                if (messages.ContainsKey("get_all_records"))
                {
                    ParamSchema[] expr = [new("expr", XapiType.Parse("string"), false)];
                    messages.TryAdd("get_all_records_where", new MessageSchema(current, "get_all_records_where", true, false, XapiType.Parse($"({current} ref -> {current} record) map"), expr, true));
                    messages.TryAdd("get_all_where", new MessageSchema(current, "get_all_where", true, false, XapiType.Parse($"{current} ref set"), expr, true));
                }

                classes[current] = new ClassSchema(current, fields, messages);
            }

            fields = [];
            messages = new Dictionary<string, MessageSchema>(StringComparer.Ordinal);
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            switch (parts[0])
            {
                case "C":
                    Flush();
                    current = parts[1];
                    break;
                case "F":
                    fields.Add(new FieldSchema(parts[1], XapiType.Parse(parts[2]), parts[3], parts[4]));
                    break;
                case "M":
                    var parameters = parts[5].Length == 0
                        ? []
                        : parts[5].Split(';').Select(p =>
                        {
                            var bits = p.Split(':');
                            return new ParamSchema(bits[0], XapiType.Parse(bits[1]), bits[2] == "1");
                        }).ToList();
                    var takesSession = parts[6] == "1";
                    messages[parts[1]] = new MessageSchema(current!, parts[1], parts[2] == "1", parts[3] == "1", XapiType.Parse(parts[4]), parameters, takesSession);
                    break;
                case "E":
                    enums[parts[1]] = parts[2].Split(',');
                    break;
            }
        }

        Flush();
        return new Datamodel(classes, enums);
    }
}
