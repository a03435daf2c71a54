using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Events;

/// <summary>One event from <c>event.from</c>: an object of <see cref="ClassName"/> was added, modified or deleted.</summary>
public sealed record XenEvent
{
    /// <summary><c>id</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>class</c>, lower-case (e.g. <c>vm</c>, <c>task</c>).</summary>
    public string ClassName { get; init; } = string.Empty;

    /// <summary><c>operation</c>.</summary>
    public XenEventOperation Operation { get; init; }

    /// <summary><c>ref</c>: the opaque reference of the object.</summary>
    public string OpaqueRef { get; init; } = string.Empty;

    /// <summary><c>snapshot</c>: the object's full record in the raw value model; <see langword="null"/> for <c>del</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Snapshot { get; init; }

    /// <summary>The snapshot as a typed record, or <see langword="null"/> when there is none.</summary>
    public TRecord? SnapshotAs<TRecord>()
        where TRecord : class, IXenApiRecord<TRecord> => Snapshot is null ? null : TRecord.FromStruct(Snapshot);

    internal static XenEvent FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, "event");
        fields.TryGetValue("snapshot", out var snapshot);
        return new XenEvent
        {
            Id = r.String("id"),
            ClassName = r.String("class"),
            Operation = r.Enum<XenEventOperation>("operation"),
            OpaqueRef = r.String("ref"),
            Snapshot = snapshot as IReadOnlyDictionary<string, object?>,
        };
    }
}
