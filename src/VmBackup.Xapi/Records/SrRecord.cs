using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>An <c>SR</c> record (a storage repository).</summary>
public sealed record SrRecord : IXenApiRecord<SrRecord>
{
    /// <inheritdoc />
    public static string ClassName => "SR";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>type</c>; e.g. <c>lvm</c>, <c>ext</c>, <c>nfs</c>, <c>iso</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>content_type</c>.</summary>
    public string ContentType { get; init; } = string.Empty;

    /// <summary><c>shared</c>.</summary>
    public bool Shared { get; init; }

    /// <summary><c>physical_size</c>; bytes.</summary>
    public long PhysicalSize { get; init; }

    /// <summary><c>physical_utilisation</c>; bytes.</summary>
    public long PhysicalUtilisation { get; init; }

    /// <summary><c>virtual_allocation</c>; bytes.</summary>
    public long VirtualAllocation { get; init; }

    /// <summary><c>PBDs</c>; opaque refs; PBD is not modelled.</summary>
    public IReadOnlyList<string> Pbds { get; init; } = [];

    /// <summary><c>VDIs</c>.</summary>
    public IReadOnlyList<XenRef<VdiRecord>> Vdis { get; init; } = [];

    /// <summary><c>sm_config</c>.</summary>
    public IReadOnlyDictionary<string, string> SmConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>introduced_by</c>; opaque ref; DR_task is not modelled.</summary>
    public string IntroducedBy { get; init; } = string.Empty;

    /// <summary><c>allowed_operations</c>.</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary><c>current_operations</c>.</summary>
    public IReadOnlyDictionary<string, string> CurrentOperations { get; init; } = EmptyMap.Instance;

    /// <inheritdoc />
    public static SrRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new SrRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Type = r.String("type"),
            ContentType = r.String("content_type"),
            Shared = r.Boolean("shared"),
            PhysicalSize = r.Int64("physical_size"),
            PhysicalUtilisation = r.Int64("physical_utilisation"),
            VirtualAllocation = r.Int64("virtual_allocation"),
            Pbds = r.Strings("PBDs"),
            Vdis = r.Refs<VdiRecord>("VDIs"),
            SmConfig = r.Map("sm_config"),
            OtherConfig = r.Map("other_config"),
            Tags = r.Strings("tags"),
            IntroducedBy = r.String("introduced_by"),
            AllowedOperations = r.Strings("allowed_operations"),
            CurrentOperations = r.Map("current_operations"),
        };
    }
}
