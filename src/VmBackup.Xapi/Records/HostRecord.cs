using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>host</c> record.</summary>
public sealed record HostRecord : IXenApiRecord<HostRecord>
{
    /// <inheritdoc />
    public static string ClassName => "host";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>hostname</c>.</summary>
    public string Hostname { get; init; } = string.Empty;

    /// <summary><c>address</c>.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary><c>API_version_major</c>.</summary>
    public long ApiVersionMajor { get; init; }

    /// <summary><c>API_version_minor</c>.</summary>
    public long ApiVersionMinor { get; init; }

    /// <summary><c>API_version_vendor</c>.</summary>
    public string ApiVersionVendor { get; init; } = string.Empty;

    /// <summary><c>software_version</c>.</summary>
    public IReadOnlyDictionary<string, string> SoftwareVersion { get; init; } = EmptyMap.Instance;

    /// <summary><c>enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>PBDs</c>; opaque refs; PBD is not modelled.</summary>
    public IReadOnlyList<string> Pbds { get; init; } = [];

    /// <summary><c>resident_VMs</c>.</summary>
    public IReadOnlyList<XenRef<VmRecord>> ResidentVms { get; init; } = [];

    /// <summary><c>metrics</c>; opaque ref; host_metrics is not modelled.</summary>
    public string Metrics { get; init; } = string.Empty;

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <inheritdoc />
    public static HostRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new HostRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Hostname = r.String("hostname"),
            Address = r.String("address"),
            ApiVersionMajor = r.Int64("API_version_major"),
            ApiVersionMinor = r.Int64("API_version_minor"),
            ApiVersionVendor = r.String("API_version_vendor"),
            SoftwareVersion = r.Map("software_version"),
            Enabled = r.Boolean("enabled"),
            Pbds = r.Strings("PBDs"),
            ResidentVms = r.Refs<VmRecord>("resident_VMs"),
            Metrics = r.String("metrics"),
            OtherConfig = r.Map("other_config"),
            Tags = r.Strings("tags"),
        };
    }
}
