using System.Globalization;
using System.Text;
using System.Xml;
using XapiSim.Model;
using XapiSim.Model.Schema;

namespace XapiSim.DataPlane;

/// <summary>
/// Writes the pool database in xapi's <c>/pool/xmldbdump</c> format (§7.1): <c>&lt;database&gt;</c>, a manifest of
/// <c>schema_major_vsn</c>/<c>schema_minor_vsn</c>/<c>generation_count</c> pairs, one <c>&lt;table name=…&gt;</c> per
/// class with one empty <c>&lt;row/&gt;</c> per object (<c>ref</c>, <c>__ctime</c>, <c>__mtime</c>, one attribute per field,
/// namespaced fields joined with <c>__</c>), every value a string, sets and maps as S-expressions. Tables of classes
/// xapi does not persist (session, task, ...) are written without rows.
/// </summary>
internal static class XmlDbDumpWriter
{
    public const int SchemaMajor = 5;
    public const int SchemaMinor = 786;

    /// <summary>Classes whose rows are not persisted.</summary>
    public static readonly IReadOnlySet<string> NotPersisted = new HashSet<string>(StringComparer.Ordinal) { "session", "task", "event", "secret_ephemeral", "message" };

    private static readonly string[] Namespaces = ["name_", "memory_", "VCPUs_", "actions_", "PV_", "HVM_", "API_version_", "qos_", "security_", "bios_"];

    public static byte[] Write(SimulatedPool pool)
    {
        var db = pool.Database;
        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false };
        using (var xml = XmlWriter.Create(output, settings))
        {
            lock (db.SyncRoot)
            {
                var generation = db.Generation.ToString(CultureInfo.InvariantCulture);
                xml.WriteStartDocument();
                xml.WriteStartElement("database");
                xml.WriteStartElement("manifest");
                Pair(xml, "schema_major_vsn", SchemaMajor.ToString(CultureInfo.InvariantCulture));
                Pair(xml, "schema_minor_vsn", SchemaMinor.ToString(CultureInfo.InvariantCulture));
                Pair(xml, "generation_count", generation);
                xml.WriteEndElement();
                foreach (var schema in Datamodel.Instance.Classes.Values.Where(c => c.IsStored).OrderBy(c => c.Name, StringComparer.Ordinal))
                {
                    xml.WriteStartElement("table");
                    xml.WriteAttributeString("name", schema.Name);
                    if (!NotPersisted.Contains(schema.Name))
                    {
                        foreach (var (reference, record) in db.GetAllRecords(schema.Name))
                        {
                            xml.WriteStartElement("row");
                            xml.WriteAttributeString("ref", reference);
                            xml.WriteAttributeString("__ctime", generation);
                            xml.WriteAttributeString("__mtime", generation);
                            foreach (var field in schema.Fields)
                            {
                                if (((IReadOnlyDictionary<string, object>)record).TryGetValue(field.Name, out var value))
                                {
                                    xml.WriteAttributeString(AttributeName(field.Name), Format(value));
                                }
                            }

                            xml.WriteEndElement();
                        }
                    }

                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
        }

        return output.ToArray();
    }

    /// <summary><c>name_label</c> → <c>name__label</c> for xapi's namespaced fields.</summary>
    public static string AttributeName(string field)
    {
        foreach (var prefix in Namespaces)
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal) && field.Length > prefix.Length)
            {
                return prefix + "_" + field[prefix.Length..];
            }
        }

        return field;
    }

    /// <summary>A value as xapi's string marshaller writes it.</summary>
    public static string Format(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("0.0###############", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToUniversalTime().ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object> map => "(" + string.Join(' ', map.Select(kv => "(" + Quote(kv.Key) + " " + Quote(Format(kv.Value)) + ")")) + ")",
        IReadOnlyList<object> list => "(" + string.Join(' ', list.Select(item => Quote(Format(item)))) + ")",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static void Pair(XmlWriter xml, string key, string value)
    {
        xml.WriteStartElement("pair");
        xml.WriteAttributeString("key", key);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }
}
