using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>pool</c> record.</summary>
public sealed record PoolRecord : IXenApiRecord<PoolRecord>
{
    /// <inheritdoc />
    public static string ClassName => "pool";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>master</c>.</summary>
    public XenRef<HostRecord> Master { get; init; }

    /// <summary><c>default_SR</c>.</summary>
    public XenRef<SrRecord> DefaultSr { get; init; }

    /// <summary><c>suspend_image_SR</c>.</summary>
    public XenRef<SrRecord> SuspendImageSr { get; init; }

    /// <summary><c>crash_dump_SR</c>.</summary>
    public XenRef<SrRecord> CrashDumpSr { get; init; }

    /// <summary><c>other_config</c>.</summary>
    public IReadOnlyDictionary<string, string> OtherConfig { get; init; } = EmptyMap.Instance;

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>ha_enabled</c>.</summary>
    public bool HaEnabled { get; init; }

    /// <inheritdoc />
    public static PoolRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new PoolRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Master = r.Ref<HostRecord>("master"),
            DefaultSr = r.Ref<SrRecord>("default_SR"),
            SuspendImageSr = r.Ref<SrRecord>("suspend_image_SR"),
            CrashDumpSr = r.Ref<SrRecord>("crash_dump_SR"),
            OtherConfig = r.Map("other_config"),
            Tags = r.Strings("tags"),
            HaEnabled = r.Boolean("ha_enabled"),
        };
    }
}
