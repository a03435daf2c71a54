using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>VM</c> record (VMs, templates, snapshots and the control domain), with the fields backup and restore use.</summary>
public sealed record VmRecord : IXenApiRecord<VmRecord>
{
    /// <inheritdoc />
    public static string ClassName => "VM";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>power_state</c>.</summary>
    public VmPowerState PowerState { get; init; }

    /// <summary><c>is_a_template</c> (true for snapshots too).</summary>
    public bool IsATemplate { get; init; }

    /// <summary><c>is_default_template</c>.</summary>
    public bool IsDefaultTemplate { get; init; }

    /// <summary><c>is_a_snapshot</c>.</summary>
    public bool IsASnapshot { get; init; }

    /// <summary><c>is_control_domain</c> (dom0).</summary>
    public bool IsControlDomain { get; init; }

    /// <summary><c>snapshot_of</c>: the VM this is a snapshot of.</summary>
    public XenRef<VmRecord> SnapshotOf { get; init; }

    /// <summary><c>snapshots</c>.</summary>
    public IReadOnlyList<XenRef<VmRecord>> Snapshots { get; init; } = [];

    /// <summary><c>snapshot_time</c> (UTC; the epoch if not a snapshot).</summary>
    public DateTime SnapshotTime { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>snapshot_info</c>.</summary>
    public IReadOnlyDictionary<string, string> SnapshotInfo { get; init; } = EmptyMap.Instance;

    /// <summary><c>snapshot_metadata</c>.</summary>
    public string SnapshotMetadata { get; init; } = string.Empty;

    /// <summary><c>transportable_snapshot_id</c>.</summary>
    public string TransportableSnapshotId { get; init; } = string.Empty;

    /// <summary><c>parent</c>.</summary>
    public XenRef<VmRecord> Parent { get; init; }

    /// <summary><c>children</c>.</summary>
    public IReadOnlyList<XenRef<VmRecord>> Children { get; init; } = [];

    /// <summary><c>VBDs</c>.</summary>
    public IReadOnlyList<XenRef<VbdRecord>> Vbds { get; init; } = [];

    /// <summary><c>VIFs</c>.</summary>
    public IReadOnlyList<XenRef<VifRecord>> Vifs { get; init; } = [];

    /// <summary><c>VTPMs</c> (opaque refs; VTPM is not modelled).</summary>
    public IReadOnlyList<string> Vtpms { get; init; } = [];

    /// <summary><c>VGPUs</c> (opaque refs; VGPU is not modelled).</summary>
    public IReadOnlyList<string> Vgpus { get; init; } = [];

    /// <summary><c>suspend_VDI</c>.</summary>
    public XenRef<VdiRecord> SuspendVdi { get; init; }

    /// <summary><c>memory_static_max</c> in bytes.</summary>
    public long MemoryStaticMax { get; init; }

    /// <summary><c>memory_static_min</c> in bytes.</summary>
    public long MemoryStaticMin { get; init; }

    /// <summary><c>memory_dynamic_max</c> in bytes.</summary>
    public long MemoryDynamicMax { get; init; }

    /// <summary><c>memory_dynamic_min</c> in bytes.</summary>
    public long MemoryDynamicMin { get; init; }

    /// <summary><c>memory_target</c> in bytes.</summary>
    public long MemoryTarget { get; init; }

    /// <summary><c>memory_overhead</c> in bytes.</summary>
    public long MemoryOverhead { get; init; }

    /// <summary><c>VCPUs_max</c>.</summary>
    public long VcpusMax { get; init; }

    /// <summary><c>VCPUs_at_startup</c>.</summary>
    public long VcpusAtStartup { get; init; }

    /// <summary><c>VCPUs_params</c>.</summary>
    public IReadOnlyDictionary<string, string> VcpusParams { get; init; } = EmptyMap.Instance;

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>platform</c>.</summary>
    public IReadOnlyDictionary<string, string> Platform { get; init; } = EmptyMap.Instance;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>resident_on</c>.</summary>
    public XenRef<HostRecord> ResidentOn { get; init; }

    /// <summary><c>affinity</c>.</summary>
    public XenRef<HostRecord> Affinity { get; init; }

    /// <summary><c>allowed_operations</c> (XAPI spellings, e.g. <c>snapshot</c>, <c>export</c>).</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary><c>current_operations</c>: task ref → operation.</summary>
    public IReadOnlyDictionary<string, string> CurrentOperations { get; init; } = EmptyMap.Instance;

    /// <summary><c>blocked_operations</c>: operation → reason.</summary>
    public IReadOnlyDictionary<string, string> BlockedOperations { get; init; } = EmptyMap.Instance;

    /// <summary><c>domid</c> (-1 when not running).</summary>
    public long DomId { get; init; }

    /// <summary><c>metrics</c>.</summary>
    public XenRef<VmMetricsRecord> Metrics { get; init; }

    /// <summary><c>guest_metrics</c> (opaque ref; VM_guest_metrics is not modelled).</summary>
    public string GuestMetrics { get; init; } = string.Empty;

    /// <summary><c>HVM_boot_policy</c>.</summary>
    public string HvmBootPolicy { get; init; } = string.Empty;

    /// <summary><c>HVM_boot_params</c>.</summary>
    public IReadOnlyDictionary<string, string> HvmBootParams { get; init; } = EmptyMap.Instance;

    /// <summary><c>domain_type</c>.</summary>
    public VmDomainType DomainType { get; init; }

    /// <summary><c>NVRAM</c>.</summary>
    public IReadOnlyDictionary<string, string> Nvram { get; init; } = EmptyMap.Instance;

    /// <summary><c>bios_strings</c>.</summary>
    public IReadOnlyDictionary<string, string> BiosStrings { get; init; } = EmptyMap.Instance;

    /// <summary><c>version</c>: how many times this VM has been recovered (a full-restore import increments it).</summary>
    public long Version { get; init; }

    /// <summary><c>order</c>: the VM's place in its vApp's start order (lower starts first).</summary>
    public long Order { get; init; }

    /// <summary><c>start_delay</c>: seconds to wait after starting this VM before the next order group.</summary>
    public long StartDelay { get; init; }

    /// <summary><c>appliance</c>: the vApp the VM belongs to, or a null ref.</summary>
    public XenRef<VmApplianceRecord> Appliance { get; init; }

    /// <inheritdoc />
    public static VmRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new VmRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            PowerState = r.Enum<VmPowerState>("power_state"),
            IsATemplate = r.Boolean("is_a_template"),
            IsDefaultTemplate = r.Boolean("is_default_template"),
            IsASnapshot = r.Boolean("is_a_snapshot"),
            IsControlDomain = r.Boolean("is_control_domain"),
            SnapshotOf = r.Ref<VmRecord>("snapshot_of"),
            Snapshots = r.Refs<VmRecord>("snapshots"),
            SnapshotTime = r.DateTime("snapshot_time"),
            SnapshotInfo = r.Map("snapshot_info"),
            SnapshotMetadata = r.String("snapshot_metadata"),
            TransportableSnapshotId = r.String("transportable_snapshot_id"),
            Parent = r.Ref<VmRecord>("parent"),
            Children = r.Refs<VmRecord>("children"),
            Vbds = r.Refs<VbdRecord>("VBDs"),
            Vifs = r.Refs<VifRecord>("VIFs"),
            Vtpms = r.Strings("VTPMs"),
            Vgpus = r.Strings("VGPUs"),
            SuspendVdi = r.Ref<VdiRecord>("suspend_VDI"),
            MemoryStaticMax = r.Int64("memory_static_max"),
            MemoryStaticMin = r.Int64("memory_static_min"),
            MemoryDynamicMax = r.Int64("memory_dynamic_max"),
            MemoryDynamicMin = r.Int64("memory_dynamic_min"),
            MemoryTarget = r.Int64("memory_target"),
            MemoryOverhead = r.Int64("memory_overhead"),
            VcpusMax = r.Int64("VCPUs_max"),
            VcpusAtStartup = r.Int64("VCPUs_at_startup"),
            VcpusParams = r.Map("VCPUs_params"),
            OtherConfig = r.Map("other_config"),
            Platform = r.Map("platform"),
            Tags = r.Strings("tags"),
            ResidentOn = r.Ref<HostRecord>("resident_on"),
            Affinity = r.Ref<HostRecord>("affinity"),
            AllowedOperations = r.Strings("allowed_operations"),
            CurrentOperations = r.Map("current_operations"),
            BlockedOperations = r.Map("blocked_operations"),
            DomId = r.Int64("domid"),
            Metrics = r.Ref<VmMetricsRecord>("metrics"),
            GuestMetrics = r.String("guest_metrics"),
            HvmBootPolicy = r.String("HVM_boot_policy"),
            HvmBootParams = r.Map("HVM_boot_params"),
            DomainType = r.Enum<VmDomainType>("domain_type"),
            Nvram = r.Map("NVRAM"),
            BiosStrings = r.Map("bios_strings"),
            Version = r.Int64("version"),
            Order = r.Int64("order"),
            StartDelay = r.Int64("start_delay"),
            Appliance = r.Ref<VmApplianceRecord>("appliance"),
        };
    }
}
