using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>network</c> record.</summary>
public sealed record NetworkRecord : IXenApiRecord<NetworkRecord>
{
    /// <inheritdoc />
    public static string ClassName => "network";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>bridge</c>.</summary>
    public string Bridge { get; init; } = string.Empty;

    /// <summary><c>MTU</c>.</summary>
    public long Mtu { get; init; }

    /// <summary><c>VIFs</c>.</summary>
    public IReadOnlyList<XenRef<VifRecord>> Vifs { get; init; } = [];

    /// <summary><c>PIFs</c>; opaque refs; PIF is not modelled.</summary>
    public IReadOnlyList<string> Pifs { get; init; } = [];

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>managed</c>.</summary>
    public bool Managed { get; init; }

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>purpose</c>.</summary>
    public IReadOnlyList<string> Purpose { get; init; } = [];

    /// <inheritdoc />
    public static NetworkRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new NetworkRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Bridge = r.String("bridge"),
            Mtu = r.Int64("MTU"),
            Vifs = r.Refs<VifRecord>("VIFs"),
            Pifs = r.Strings("PIFs"),
            OtherConfig = r.Map("other_config"),
            Managed = r.Boolean("managed"),
            Tags = r.Strings("tags"),
            Purpose = r.Strings("purpose"),
        };
    }
}
