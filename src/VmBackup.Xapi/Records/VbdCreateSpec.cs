namespace VmBackup.Xapi.Records;

/// <summary>The struct <c>VBD.create</c> takes.</summary>
public sealed record VbdCreateSpec
{
    /// <summary><c>VM</c>.</summary>
    public required XenRef<VmRecord> Vm { get; init; }

    /// <summary><c>VDI</c>; the null ref for an empty CD drive.</summary>
    public XenRef<VdiRecord> Vdi { get; init; }

    /// <summary><c>userdevice</c>: the slot (<c>"0"</c>, <c>"1"</c>, …) or <c>autodetect</c>.</summary>
    public required string Userdevice { get; init; }

    /// <summary><c>bootable</c>.</summary>
    public bool Bootable { get; init; }

    /// <summary><c>mode</c>.</summary>
    /// <value>The default value is <see cref="VbdMode.ReadWrite"/>.</value>
    public VbdMode Mode { get; init; } = VbdMode.ReadWrite;

    /// <summary><c>type</c>.</summary>
    /// <value>The default value is <see cref="VbdType.Disk"/>.</value>
    public VbdType Type { get; init; } = VbdType.Disk;

    /// <summary><c>unpluggable</c>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Unpluggable { get; init; } = true;

    /// <summary><c>empty</c>.</summary>
    public bool Empty { get; init; }

    /// <summary><c>other_config</c> (e.g. <c>owner</c> for disks the VM owns).</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>qos_algorithm_type</c>.</summary>
    public string QosAlgorithmType { get; init; } = string.Empty;

    /// <summary><c>qos_algorithm_params</c>.</summary>
    public IReadOnlyDictionary<string, string> QosAlgorithmParams { get; init; } = EmptyMap.Instance;

    internal Dictionary<string, object?> ToStruct() => new(StringComparer.Ordinal)
    {
        ["VM"] = Vm,
        ["VDI"] = Vdi,
        ["userdevice"] = Userdevice,
        ["bootable"] = Bootable,
        ["mode"] = Mode,
        ["type"] = Type,
        ["unpluggable"] = Unpluggable,
        ["empty"] = Empty,
        ["other_config"] = OtherConfig,
        ["qos_algorithm_type"] = QosAlgorithmType,
        ["qos_algorithm_params"] = QosAlgorithmParams,
    };
}
