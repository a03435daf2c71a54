using System.Globalization;
using System.Xml;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// Checks a pool database dump (reference §7.1) by reading it as a stream: well-formed XML, root
/// <c>&lt;database&gt;</c>, a <c>&lt;manifest&gt;</c> with <c>schema_major_vsn</c> 5 and <c>schema_minor_vsn</c>, a
/// <c>pool</c> row and <c>host</c> rows; collects what the restore warnings need (hosts, suspended VMs and where their
/// suspend disks live).
/// </summary>
public static class PoolDbDumpInspector
{
    /// <summary>The database schema major version this VmBackup restores.</summary>
    public const int SupportedSchemaMajor = 5;

    /// <summary>Checks the dump in <paramref name="dump"/> (plain XML).</summary>
    /// <exception cref="PoolDbException">The dump is not a usable pool database dump; the message says why.</exception>
    public static PoolDbDumpSummary Inspect(Stream dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var manifest = new Dictionary<string, string>(StringComparer.Ordinal);
        var pools = new List<Dictionary<string, string>>();
        var hosts = new List<Dictionary<string, string>>();
        var vms = new List<Dictionary<string, string>>();
        var vdiSr = new Dictionary<string, string>(StringComparer.Ordinal);
        var srs = new Dictionary<string, (bool Shared, string Name)>(StringComparer.Ordinal);
        var tables = 0;
        var sawRoot = false;
        var sawManifest = false;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
            using var reader = XmlReader.Create(dump, settings);
            string? table = null;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && reader.Name == "table")
                {
                    table = null;
                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (!sawRoot)
                {
                    if (reader.Name != "database")
                    {
                        throw new PoolDbException($"not a pool database dump: the root element is <{reader.Name}>, not <database>");
                    }

                    sawRoot = true;
                    continue;
                }

                switch (reader.Name)
                {
                    case "manifest":
                        sawManifest = true;
                        break;
                    case "pair" when table is null:
                        manifest[reader.GetAttribute("key") ?? string.Empty] = reader.GetAttribute("value") ?? string.Empty;
                        break;
                    case "table":
                        table = reader.GetAttribute("name") ?? throw new PoolDbException("not a pool database dump: a <table> has no name");
                        tables++;
                        if (reader.IsEmptyElement)
                        {
                            table = null;
                        }

                        break;
                    case "row" when table is not null:
                        if (reader.GetAttribute("ref") is null)
                        {
                            throw new PoolDbException($"not a pool database dump: a row of table {table} has no ref");
                        }

                        Collect(reader, table, pools, hosts, vms, vdiSr, srs);
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            throw new PoolDbException($"not a pool database dump: bad XML (line {e.LineNumber}): {e.Message}", e);
        }

        if (!sawRoot)
        {
            throw new PoolDbException("not a pool database dump: the file is empty");
        }

        if (!sawManifest || !manifest.TryGetValue("schema_major_vsn", out var majorText) || !manifest.TryGetValue("schema_minor_vsn", out var minorText))
        {
            throw new PoolDbException("not a pool database dump: no <manifest> with schema_major_vsn and schema_minor_vsn");
        }

        if (!int.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out var major) || !int.TryParse(minorText, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw new PoolDbException($"not a pool database dump: schema version '{majorText}.{minorText}' is not numeric");
        }

        if (major != SupportedSchemaMajor)
        {
            throw new PoolDbException($"schema version {major}.{minor} is not supported (expected {SupportedSchemaMajor}.x)");
        }

        if (pools.Count != 1)
        {
            throw new PoolDbException($"not a pool database dump: {pools.Count} pool rows (expected 1)");
        }

        if (hosts.Count == 0)
        {
            throw new PoolDbException("not a pool database dump: no host rows");
        }

        var pool = pools[0];
        var master = pool.GetValueOrDefault("master", string.Empty);
        var hostList = hosts.Select(h => new PoolDbDumpHost(h.GetValueOrDefault("uuid", string.Empty), h.GetValueOrDefault("name__label", string.Empty), h.GetValueOrDefault("address", string.Empty), h["ref"] == master)).ToList();
        var suspended = new List<PoolDbSuspendedVm>();
        foreach (var vm in vms)
        {
            if (!string.Equals(vm.GetValueOrDefault("power_state"), "Suspended", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var vdi = vm.GetValueOrDefault("suspend_VDI", string.Empty);
            var sr = vdiSr.GetValueOrDefault(vdi, string.Empty);
            if (srs.TryGetValue(sr, out var info) && info.Shared)
            {
                continue;
            }

            suspended.Add(new PoolDbSuspendedVm(vm.GetValueOrDefault("uuid", string.Empty), vm.GetValueOrDefault("name__label", string.Empty), info.Name ?? string.Empty));
        }

        return new PoolDbDumpSummary(major, minor, manifest.GetValueOrDefault("generation_count", string.Empty), pool.GetValueOrDefault("uuid", string.Empty), pool.GetValueOrDefault("name__label", string.Empty), hostList, suspended, tables);
    }

    private static void Collect(XmlReader reader, string table, List<Dictionary<string, string>> pools, List<Dictionary<string, string>> hosts, List<Dictionary<string, string>> vms, Dictionary<string, string> vdiSr, Dictionary<string, (bool Shared, string Name)> srs)
    {
        var reference = reader.GetAttribute("ref")!;
        switch (table)
        {
            case "pool":
                pools.Add(Attributes(reader, "ref", "uuid", "name__label", "master"));
                break;
            case "host":
                hosts.Add(Attributes(reader, "ref", "uuid", "name__label", "address"));
                break;
            case "VM":
                if (string.Equals(reader.GetAttribute("power_state"), "Suspended", StringComparison.OrdinalIgnoreCase))
                {
                    vms.Add(Attributes(reader, "ref", "uuid", "name__label", "power_state", "suspend_VDI"));
                }

                break;
            case "VDI":
                vdiSr[reference] = reader.GetAttribute("SR") ?? string.Empty;
                break;
            case "SR":
                srs[reference] = (string.Equals(reader.GetAttribute("shared"), "true", StringComparison.OrdinalIgnoreCase), reader.GetAttribute("name__label") ?? string.Empty);
                break;
        }
    }

    private static Dictionary<string, string> Attributes(XmlReader reader, params string[] names)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (reader.GetAttribute(name) is { } value)
            {
                values[name] = value;
            }
        }

        return values;
    }
}
