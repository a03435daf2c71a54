using System.Text;
using VmBackup.Formats.XmlRpc;

namespace VmBackup.Formats.Xva;

/// <summary>
/// The ova.xml of an XVA (§4.4): a single XML-RPC <c>&lt;value&gt;</c> struct with <c>version</c> and <c>objects</c>,
/// without an <c>&lt;?xml?&gt;</c> declaration. <see cref="ToXml"/> writes exactly XAPI's encoding; <see cref="Parse"/>
/// reads XAPI's, Xen Orchestra's and any standard XML-RPC encoding.
/// </summary>
public sealed class OvaXml
{
    /// <summary>Creates the model.</summary>
    public OvaXml(OvaVersion version, IReadOnlyList<OvaObject> objects)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(objects);
        Version = version;
        Objects = objects;
    }

    /// <summary>The version struct.</summary>
    public OvaVersion Version { get; }

    /// <summary>The objects, in file order.</summary>
    public IReadOnlyList<OvaObject> Objects { get; }

    /// <summary>The exported VM (the first non-snapshot <c>VM</c> object, else the first VM).</summary>
    public OvaObject? Vm => Objects.FirstOrDefault(o => o.Class == "VM" && o.Snapshot["is_a_snapshot"] is not { Kind: XmlRpcKind.Boolean, Boolean: true })
        ?? Objects.FirstOrDefault(o => o.Class == "VM");

    /// <summary>All VBD objects.</summary>
    public IEnumerable<OvaObject> Vbds => OfClass("VBD");

    /// <summary>All VDI objects.</summary>
    public IEnumerable<OvaObject> Vdis => OfClass("VDI");

    /// <summary>All VIF objects.</summary>
    public IEnumerable<OvaObject> Vifs => OfClass("VIF");

    /// <summary>All SR objects.</summary>
    public IEnumerable<OvaObject> Srs => OfClass("SR");

    /// <summary>All network objects.</summary>
    public IEnumerable<OvaObject> Networks => OfClass("network");

    /// <summary>Objects of a class (case-sensitive, as XAPI writes them).</summary>
    public IEnumerable<OvaObject> OfClass(string className) => Objects.Where(o => o.Class == className);

    /// <summary>The object with id <paramref name="id"/> (e.g. <c>Ref:3</c>), or null.</summary>
    public OvaObject? FindById(string id) => Objects.FirstOrDefault(o => o.Id == id);

    /// <summary>The <c>virtual_size</c> of VDI <paramref name="vdiId"/>, or null when there is no such VDI.</summary>
    public long? GetVdiVirtualSize(string vdiId) => Vdis.FirstOrDefault(o => o.Id == vdiId)?.GetInt64("virtual_size");

    /// <summary>Serialises exactly like XAPI: one line, no declaration, ints bare, member order version → objects.</summary>
    public string ToXml()
    {
        var version = XmlRpcValue.FromStruct(
            ("hostname", XmlRpcValue.FromString(Version.Hostname)),
            ("date", XmlRpcValue.FromString(Version.Date)),
            ("product_version", XmlRpcValue.FromString(Version.ProductVersion)),
            ("product_brand", XmlRpcValue.FromString(Version.ProductBrand)),
            ("build_number", XmlRpcValue.FromString(Version.BuildNumber)),
            ("xapi_major", XmlRpcValue.FromInt64(Version.XapiMajor)),
            ("xapi_minor", XmlRpcValue.FromInt64(Version.XapiMinor)),
            ("export_vsn", XmlRpcValue.FromInt64(Version.ExportVsn)));
        var objects = XmlRpcValue.FromArray(Objects.Select(o => XmlRpcValue.FromStruct(
            ("class", XmlRpcValue.FromString(o.Class)),
            ("id", XmlRpcValue.FromString(o.Id)),
            ("snapshot", o.Snapshot))));
        var sb = new StringBuilder();
        XmlRpcValueWriter.Write(sb, XmlRpcValue.FromStruct(("version", version), ("objects", objects)));
        return sb.ToString();
    }

    /// <summary>UTF-8 bytes of <see cref="ToXml"/>.</summary>
    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToXml());

    /// <summary>Parses ova.xml text.</summary>
    /// <exception cref="FormatException">Not an ova.xml; the message says which member is wrong.</exception>
    public static OvaXml Parse(string xml)
    {
        var root = XmlRpcValueParser.Parse(xml.TrimStart('\uFEFF'));
        if (root.Kind != XmlRpcKind.Struct)
        {
            throw new FormatException($"ova.xml: the top-level value is a {root.Kind}, expected a struct");
        }

        var v = root["version"] ?? throw new FormatException("ova.xml: missing 'version' member");
        string Str(string name) => v[name]?.AsString() ?? throw new FormatException($"ova.xml: version has no '{name}'");
        long Int(string name) => v[name]?.AsInt64() ?? throw new FormatException($"ova.xml: version has no '{name}'");
        var version = new OvaVersion(
            Str("hostname"),
            Str("date"),
            Str("product_version"),
            Str("product_brand"),
            Str("build_number"),
            Int("xapi_major"),
            Int("xapi_minor"),
            v["export_vsn"]?.AsInt64() ?? 0);
        var objects = root["objects"] ?? throw new FormatException("ova.xml: missing 'objects' member");
        if (objects.Kind != XmlRpcKind.Array)
        {
            throw new FormatException($"ova.xml: 'objects' is a {objects.Kind}, expected an array");
        }

        var list = new List<OvaObject>(objects.Items.Count);
        for (var i = 0; i < objects.Items.Count; i++)
        {
            var o = objects.Items[i];
            var cls = o["class"]?.AsString() ?? throw new FormatException($"ova.xml: object #{i} has no 'class'");
            var id = o["id"]?.AsString() ?? throw new FormatException($"ova.xml: object #{i} ({cls}) has no 'id'");
            var snapshot = o["snapshot"] ?? throw new FormatException($"ova.xml: object {id} ({cls}) has no 'snapshot'");
            list.Add(new OvaObject(cls, id, snapshot));
        }

        return new OvaXml(version, list);
    }
}
