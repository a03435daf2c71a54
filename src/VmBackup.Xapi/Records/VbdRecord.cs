using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>VBD</c> record (a VM's disk or CD slot).</summary>
public sealed record VbdRecord : IXenApiRecord<VbdRecord>
{
    /// <inheritdoc />
    public static string ClassName => "VBD";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>VM</c>.</summary>
    public XenRef<VmRecord> Vm { get; init; }

    /// <summary><c>VDI</c>; null when empty.</summary>
    public XenRef<VdiRecord> Vdi { get; init; }

    /// <summary><c>device</c>.</summary>
    public string Device { get; init; } = string.Empty;

    /// <summary><c>userdevice</c>.</summary>
    public string Userdevice { get; init; } = string.Empty;

    /// <summary><c>bootable</c>.</summary>
    public bool Bootable { get; init; }

    /// <summary><c>mode</c>.</summary>
    public VbdMode Mode { get; init; }

    /// <summary><c>type</c>.</summary>
    public VbdType Type { get; init; }

    /// <summary><c>unpluggable</c>.</summary>
    public bool Unpluggable { get; init; }

    /// <summary><c>storage_lock</c>.</summary>
    public bool StorageLock { get; init; }

    /// <summary><c>empty</c>.</summary>
    public bool Empty { get; init; }

    /// <summary><c>currently_attached</c>.</summary>
    public bool CurrentlyAttached { get; init; }

    /// <summary><c>status_code</c>.</summary>
    public long StatusCode { get; init; }

    /// <summary><c>status_detail</c>.</summary>
    public string StatusDetail { get; init; } = string.Empty;

    /// <summary><c>runtime_properties</c>.</summary>
    public IReadOnlyDictionary<string, string> RuntimeProperties { get; init; } = EmptyMap.Instance;

    /// <summary><c>qos_algorithm_type</c>.</summary>
    public string QosAlgorithmType { get; init; } = string.Empty;

    /// <summary><c>qos_algorithm_params</c>.</summary>
    public IReadOnlyDictionary<string, string> QosAlgorithmParams { get; init; } = EmptyMap.Instance;

    /// <summary><c>qos_supported_algorithms</c>.</summary>
    public IReadOnlyList<string> QosSupportedAlgorithms { get; init; } = [];

    /// <summary><c>other_config</c>; key <c>owner</c> = the disk is owned by the VM.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>allowed_operations</c>.</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary><c>current_operations</c>.</summary>
    public IReadOnlyDictionary<string, string> CurrentOperations { get; init; } = EmptyMap.Instance;

    /// <summary><c>metrics</c>; opaque ref; VBD_metrics is not modelled.</summary>
    public string Metrics { get; init; } = string.Empty;

    /// <inheritdoc />
    public static VbdRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new VbdRecord
        {
            Uuid = r.String("uuid"),
            Vm = r.Ref<VmRecord>("VM"),
            Vdi = r.Ref<VdiRecord>("VDI"),
            Device = r.String("device"),
            Userdevice = r.String("userdevice"),
            Bootable = r.Boolean("bootable"),
            Mode = r.Enum<VbdMode>("mode"),
            Type = r.Enum<VbdType>("type"),
            Unpluggable = r.Boolean("unpluggable"),
            StorageLock = r.Boolean("storage_lock"),
            Empty = r.Boolean("empty"),
            CurrentlyAttached = r.Boolean("currently_attached"),
            StatusCode = r.Int64("status_code"),
            StatusDetail = r.String("status_detail"),
            RuntimeProperties = r.Map("runtime_properties"),
            QosAlgorithmType = r.String("qos_algorithm_type"),
            QosAlgorithmParams = r.Map("qos_algorithm_params"),
            QosSupportedAlgorithms = r.Strings("qos_supported_algorithms"),
            OtherConfig = r.Map("other_config"),
            AllowedOperations = r.Strings("allowed_operations"),
            CurrentOperations = r.Map("current_operations"),
            Metrics = r.String("metrics"),
        };
    }
}
