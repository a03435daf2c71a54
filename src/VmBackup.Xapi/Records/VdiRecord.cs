using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>VDI</c> record (a virtual disk).</summary>
public sealed record VdiRecord : IXenApiRecord<VdiRecord>
{
    /// <inheritdoc />
    public static string ClassName => "VDI";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>SR</c>.</summary>
    public XenRef<SrRecord> Sr { get; init; }

    /// <summary><c>VBDs</c>.</summary>
    public IReadOnlyList<XenRef<VbdRecord>> Vbds { get; init; } = [];

    /// <summary><c>virtual_size</c>; bytes.</summary>
    public long VirtualSize { get; init; }

    /// <summary><c>physical_utilisation</c>; bytes.</summary>
    public long PhysicalUtilisation { get; init; }

    /// <summary><c>type</c>.</summary>
    public VdiType Type { get; init; }

    /// <summary><c>sharable</c>.</summary>
    public bool Sharable { get; init; }

    /// <summary><c>read_only</c>.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>storage_lock</c>.</summary>
    public bool StorageLock { get; init; }

    /// <summary><c>location</c>.</summary>
    public string Location { get; init; } = string.Empty;

    /// <summary><c>managed</c>.</summary>
    public bool Managed { get; init; }

    /// <summary><c>missing</c>.</summary>
    public bool Missing { get; init; }

    /// <summary><c>parent</c>.</summary>
    public XenRef<VdiRecord> Parent { get; init; }

    /// <summary><c>xenstore_data</c>.</summary>
    public IReadOnlyDictionary<string, string> XenstoreData { get; init; } = EmptyMap.Instance;

    /// <summary><c>sm_config</c>.</summary>
    public IReadOnlyDictionary<string, string> SmConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>is_a_snapshot</c>.</summary>
    public bool IsASnapshot { get; init; }

    /// <summary><c>snapshot_of</c>.</summary>
    public XenRef<VdiRecord> SnapshotOf { get; init; }

    /// <summary><c>snapshots</c>.</summary>
    public IReadOnlyList<XenRef<VdiRecord>> Snapshots { get; init; } = [];

    /// <summary><c>snapshot_time</c>; UTC.</summary>
    public DateTime SnapshotTime { get; init; } = DateTime.UnixEpoch;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>allow_caching</c>.</summary>
    public bool AllowCaching { get; init; }

    /// <summary><c>on_boot</c>.</summary>
    public VdiOnBoot OnBoot { get; init; }

    /// <summary><c>metadata_of_pool</c>.</summary>
    public XenRef<PoolRecord> MetadataOfPool { get; init; }

    /// <summary><c>metadata_latest</c>.</summary>
    public bool MetadataLatest { get; init; }

    /// <summary><c>is_tools_iso</c>.</summary>
    public bool IsToolsIso { get; init; }

    /// <summary><c>cbt_enabled</c>.</summary>
    public bool CbtEnabled { get; init; }

    /// <summary><c>allowed_operations</c>.</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary><c>current_operations</c>.</summary>
    public IReadOnlyDictionary<string, string> CurrentOperations { get; init; } = EmptyMap.Instance;

    /// <inheritdoc />
    public static VdiRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new VdiRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Sr = r.Ref<SrRecord>("SR"),
            Vbds = r.Refs<VbdRecord>("VBDs"),
            VirtualSize = r.Int64("virtual_size"),
            PhysicalUtilisation = r.Int64("physical_utilisation"),
            Type = r.Enum<VdiType>("type"),
            Sharable = r.Boolean("sharable"),
            ReadOnly = r.Boolean("read_only"),
            OtherConfig = r.Map("other_config"),
            StorageLock = r.Boolean("storage_lock"),
            Location = r.String("location"),
            Managed = r.Boolean("managed"),
            Missing = r.Boolean("missing"),
            Parent = r.Ref<VdiRecord>("parent"),
            XenstoreData = r.Map("xenstore_data"),
            SmConfig = r.Map("sm_config"),
            IsASnapshot = r.Boolean("is_a_snapshot"),
            SnapshotOf = r.Ref<VdiRecord>("snapshot_of"),
            Snapshots = r.Refs<VdiRecord>("snapshots"),
            SnapshotTime = r.DateTime("snapshot_time"),
            Tags = r.Strings("tags"),
            AllowCaching = r.Boolean("allow_caching"),
            OnBoot = r.Enum<VdiOnBoot>("on_boot"),
            MetadataOfPool = r.Ref<PoolRecord>("metadata_of_pool"),
            MetadataLatest = r.Boolean("metadata_latest"),
            IsToolsIso = r.Boolean("is_tools_iso"),
            CbtEnabled = r.Boolean("cbt_enabled"),
            AllowedOperations = r.Strings("allowed_operations"),
            CurrentOperations = r.Map("current_operations"),
        };
    }
}
