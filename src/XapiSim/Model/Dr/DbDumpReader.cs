using System.Globalization;
using System.Xml.Linq;
using XapiSim.DataPlane;
using XapiSim.Model.Database;
using XapiSim.Model.Schema;

namespace XapiSim.Model.Dr;

/// <summary>
/// Loads a <c>/pool/xmldbdump</c> document (as <see cref="XmlDbDumpWriter"/> writes it, §7.1) into a new
/// <see cref="PoolDatabase"/>, keeping every row's ref; attributes of unknown fields are ignored and
/// relation sets (<c>VM.VBDs</c>...) are rebuilt from the refs.
/// </summary>
internal static class DbDumpReader
{
    public static PoolDatabase Read(byte[] xml) => Read(xml, out _);

    /// <summary>Loads the dump; <paramref name="generationCount"/> is the manifest's <c>generation_count</c> (0 when absent).</summary>
    public static PoolDatabase Read(byte[] xml, out long generationCount)
    {
        XDocument document;
        using (var stream = new MemoryStream(xml, writable: false))
        {
            document = XDocument.Load(stream);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "database")
        {
            throw new FormatException("Not a pool database dump");
        }

        generationCount = 0;
        foreach (var pair in root.Elements("manifest").Elements("pair"))
        {
            if ((string?)pair.Attribute("key") == "generation_count"
                && long.TryParse((string?)pair.Attribute("value"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation))
            {
                generationCount = generation;
            }
        }

        var database = new PoolDatabase();
        foreach (var table in root.Elements("table"))
        {
            var className = (string?)table.Attribute("name") ?? string.Empty;
            if (!Datamodel.Instance.Classes.TryGetValue(className, out var schema))
            {
                continue;
            }

            var byAttribute = schema.Fields.ToDictionary(f => XmlDbDumpWriter.AttributeName(f.Name), StringComparer.Ordinal);
            foreach (var row in table.Elements("row"))
            {
                var reference = (string?)row.Attribute("ref") ?? throw new FormatException("A row without ref in " + className);
                var values = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var attribute in row.Attributes())
                {
                    if (byAttribute.TryGetValue(attribute.Name.LocalName, out var field))
                    {
                        values[field.Name] = Decode(field.Type, attribute.Value);
                    }
                }

                database.Create(className, values, reference);
            }
        }

        return database;
    }

    /// <summary>A dump string as a value of <paramref name="type"/>.</summary>
    public static object Decode(XapiType type, string text) => type.Kind switch
    {
        XapiTypeKind.Int => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0L,
        XapiTypeKind.Float => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0.0,
        XapiTypeKind.Bool => text == "true",
        XapiTypeKind.DateTime => XapiValues.ParseDateTime(text) ?? XapiValues.Epoch,
        XapiTypeKind.Set => ((List<object>)SExpression.Parse(text)).Select(item => Decode(type.Element!, (string)item)).ToList(),
        XapiTypeKind.Map => ((List<object>)SExpression.Parse(text))
            .Select(pair => (List<object>)pair)
            .ToDictionary(pair => (string)pair[0], pair => Decode(type.Element!, (string)pair[1]), StringComparer.Ordinal),
        _ => text,
    };
}
