namespace VmBackup.Xapi.Records;

/// <summary>The struct <c>VDI.create</c> takes (reference §2).</summary>
public sealed record VdiCreateSpec
{
    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>SR</c>: where the disk is created.</summary>
    public required XenRef<SrRecord> Sr { get; init; }

    /// <summary><c>virtual_size</c> in bytes.</summary>
    public required long VirtualSize { get; init; }

    /// <summary><c>type</c>.</summary>
    /// <value>The default value is <see cref="VdiType.User"/>.</value>
    public VdiType Type { get; init; } = VdiType.User;

    /// <summary><c>sharable</c>.</summary>
    public bool Sharable { get; init; }

    /// <summary><c>read_only</c>.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>xenstore_data</c>.</summary>
    public IReadOnlyDictionary<string, string> XenstoreData { get; init; } = EmptyMap.Instance;

    /// <summary><c>sm_config</c>.</summary>
    public IReadOnlyDictionary<string, string> SmConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    internal Dictionary<string, object?> ToStruct() => new(StringComparer.Ordinal)
    {
        ["name_label"] = NameLabel,
        ["name_description"] = NameDescription,
        ["SR"] = Sr,
        ["virtual_size"] = VirtualSize,
        ["type"] = Type,
        ["sharable"] = Sharable,
        ["read_only"] = ReadOnly,
        ["other_config"] = OtherConfig,
        ["xenstore_data"] = XenstoreData,
        ["sm_config"] = SmConfig,
        ["tags"] = Tags,
    };
}
