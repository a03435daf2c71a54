using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>VM_metrics</c> record.</summary>
public sealed record VmMetricsRecord : IXenApiRecord<VmMetricsRecord>
{
    /// <inheritdoc />
    public static string ClassName => "VM_metrics";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>memory_actual</c>.</summary>
    public long MemoryActual { get; init; }

    /// <summary><c>VCPUs_number</c>.</summary>
    public long VcpusNumber { get; init; }

    /// <summary><c>start_time</c>; UTC.</summary>
    public DateTime StartTime { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>install_time</c>; UTC.</summary>
    public DateTime InstallTime { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>last_updated</c>; UTC.</summary>
    public DateTime LastUpdated { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>state</c>.</summary>
    public IReadOnlyList<string> State { get; init; } = [];

    /// <summary><c>hvm</c>.</summary>
    public bool Hvm { get; init; }

    /// <summary><c>nested_virt</c>.</summary>
    public bool NestedVirt { get; init; }

    /// <summary><c>nomigrate</c>.</summary>
    public bool Nomigrate { get; init; }

    /// <summary><c>current_domain_type</c>.</summary>
    public VmDomainType CurrentDomainType { get; init; }

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <inheritdoc />
    public static VmMetricsRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new VmMetricsRecord
        {
            Uuid = r.String("uuid"),
            MemoryActual = r.Int64("memory_actual"),
            VcpusNumber = r.Int64("VCPUs_number"),
            StartTime = r.DateTime("start_time"),
            InstallTime = r.DateTime("install_time"),
            LastUpdated = r.DateTime("last_updated"),
            State = r.Strings("state"),
            Hvm = r.Boolean("hvm"),
            NestedVirt = r.Boolean("nested_virt"),
            Nomigrate = r.Boolean("nomigrate"),
            CurrentDomainType = r.Enum<VmDomainType>("current_domain_type"),
            OtherConfig = r.Map("other_config"),
        };
    }
}
