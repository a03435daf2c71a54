namespace XapiSim.PoolFile;

/// <summary>A parsed pool file (see docs/simulator.md). Every member has its documented default.</summary>
public sealed record PoolDefinition
{
    public string NameLabel { get; init; } = "pool";

    public string NameDescription { get; init; } = string.Empty;

    public string? Uuid { get; init; }

    public IReadOnlyList<HostDefinition> Hosts { get; init; } = [new HostDefinition { NameLabel = "xs1", Master = true }];

    /// <summary>User name to password.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string> { ["root"] = "secret" };

    public IReadOnlyList<SrDefinition> Srs { get; init; } = [new SrDefinition { NameLabel = "Local storage", Default = true }];

    public IReadOnlyList<NetworkDefinition> Networks { get; init; } = [new NetworkDefinition()];

    public IReadOnlyList<VmDefinition> Vms { get; init; } = [];

    /// <summary>The vApps (<c>VM_appliance</c>); VMs join one with <see cref="VmDefinition.Appliance"/>.</summary>
    public IReadOnlyList<ApplianceDefinition> Appliances { get; init; } = [];

    /// <summary>Storage targets (LUNs) the hosts see that are not SRs of the pool (yet).</summary>
    public IReadOnlyList<StorageTargetDefinition> StorageTargets { get; init; } = [];

    /// <summary>Adds XAPI's stock templates (is_default_template=true).</summary>
    public bool DefaultTemplates { get; init; } = true;

    public FaultsDefinition Faults { get; init; } = new();
}

/// <summary>A host of the pool file.</summary>
public sealed record HostDefinition
{
    public string NameLabel { get; init; } = "xs1";

    /// <summary>Defaults to the name label.</summary>
    public string? Hostname { get; init; }

    public bool Master { get; init; }

    /// <summary>The IP the host listens on; default: the listen address for the master, 127.0.0.N for others.</summary>
    public string? Address { get; init; }

    public string? Uuid { get; init; }
}

/// <summary>A storage repository of the pool file.</summary>
public sealed record SrDefinition
{
    public string NameLabel { get; init; } = "Local storage";

    public string NameDescription { get; init; } = string.Empty;

    /// <summary>SR driver type: ext, lvm, nfs, lvmoiscsi, iso...</summary>
    public string Type { get; init; } = "ext";

    public long Size { get; init; } = 500L << 30;

    public bool Default { get; init; }

    public bool Shared { get; init; }

    /// <summary>For a local SR, the host it lives on (default: the master).</summary>
    public string? Host { get; init; }

    /// <summary>ISO image names (ISO SRs only).</summary>
    public IReadOnlyList<string> Isos { get; init; } = [];

    public string? Uuid { get; init; }

    /// <summary>
    /// The folder (full path) holding this SR's VDIs as flat files shared with other simulated pools (a replicated
    /// LUN), or null for a private SR. In the pool file, relative to the pool file's folder.
    /// </summary>
    public string? SharedStorage { get; init; }

    /// <summary>The device_config of the SR's PBDs (e.g. the iSCSI target of a replicated SR); null for a made-up one per type.</summary>
    public IReadOnlyDictionary<string, string>? DeviceConfig { get; init; }
}

/// <summary>A network of the pool file.</summary>
public sealed record NetworkDefinition
{
    public string NameLabel { get; init; } = "Pool-wide network associated with eth0";

    public string NameDescription { get; init; } = string.Empty;

    public string Bridge { get; init; } = "xenbr0";

    public long Mtu { get; init; } = 1500;

    public string? Uuid { get; init; }
}

/// <summary>A VM, template or snapshot of the pool file.</summary>
public sealed record VmDefinition
{
    public required string NameLabel { get; init; }

    public string NameDescription { get; init; } = string.Empty;

    public string PowerState { get; init; } = "Halted";

    public long Memory { get; init; } = 1L << 30;

    public long Vcpus { get; init; } = 1;

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True for an empty CD drive; an ISO name puts that image in it; null for none.</summary>
    public string? Cd { get; init; }

    public bool HasCd { get; init; }

    public IReadOnlyList<DiskDefinition> Disks { get; init; } = [];

    public IReadOnlyList<VifDefinition> Vifs { get; init; } = [];

    public bool IsATemplate { get; init; }

    public bool IsDefaultTemplate { get; init; }

    /// <summary>Makes this entry a snapshot (VM.snapshot) of the named VM.</summary>
    public string? SnapshotOf { get; init; }

    /// <summary>For Running/Paused VMs: the host they run on (default: the master).</summary>
    public string? Host { get; init; }

    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = new Dictionary<string, string>();

    public string? Uuid { get; init; }

    /// <summary>The name of the vApp (<see cref="PoolDefinition.Appliances"/>) the VM belongs to, or null.</summary>
    public string? Appliance { get; init; }

    /// <summary><c>VM.order</c>: the VM's place in its vApp's start order (lower starts first).</summary>
    public long Order { get; init; }

    /// <summary><c>VM.start_delay</c> in seconds.</summary>
    public long StartDelay { get; init; }
}

/// <summary>A vApp (<c>VM_appliance</c>) of the pool file.</summary>
public sealed record ApplianceDefinition
{
    public required string NameLabel { get; init; }

    public string NameDescription { get; init; } = string.Empty;

    public string? Uuid { get; init; }
}

/// <summary>A disk of a VM in the pool file.</summary>
public sealed record DiskDefinition
{
    public string Device { get; init; } = "xvda";

    public long Size { get; init; } = 8L << 30;

    /// <summary>The SR by name; default: the default SR.</summary>
    public string? Sr { get; init; }

    /// <summary>Fraction of 2 MiB blocks holding data (0..1).</summary>
    public double Fill { get; init; }

    public int Seed { get; init; }

    public string? NameLabel { get; init; }

    /// <summary>VDI type; default <c>system</c> for the first disk, <c>user</c> for the others.</summary>
    public string? Type { get; init; }

    public bool Cbt { get; init; }

    public string? Uuid { get; init; }
}

/// <summary>A network interface of a VM in the pool file.</summary>
public sealed record VifDefinition
{
    public string Device { get; init; } = "0";

    /// <summary>The network by name; default: the first network.</summary>
    public string? Network { get; init; }

    public string? Mac { get; init; }
}

/// <summary>The <c>faults</c> section: knobs applied at start (tests can change them at runtime).</summary>
public sealed record FaultsDefinition
{
    public TimeSpan CallDelay { get; init; }

    public TimeSpan? SessionLifetime { get; init; }

    public TimeSpan AuthFailureDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    public IReadOnlyList<Faults.MethodFault> Methods { get; init; } = [];
}
