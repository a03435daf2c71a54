using VmBackup.Formats.XmlRpc;

namespace VmBackup.Formats.Xva;

/// <summary>One entry of ova.xml's <c>objects</c> array: a class name, an id <c>Ref:n</c> and the record snapshot (a struct).</summary>
public sealed record OvaObject(string Class, string Id, XmlRpcValue Snapshot)
{
    /// <summary>A string member of the snapshot, or null when absent.</summary>
    public string? GetString(string field) => Snapshot[field] is { Kind: XmlRpcKind.String } v ? v.Text : null;

    /// <summary>An int64 member of the snapshot (XAPI sends them as decimal strings).</summary>
    /// <exception cref="FormatException">The member is missing or not a number.</exception>
    public long GetInt64(string field) =>
        (Snapshot[field] ?? throw new FormatException($"{Class} {Id} has no '{field}' field")).AsInt64();

    /// <summary>A set-of-refs member of the snapshot (empty when absent).</summary>
    public IReadOnlyList<string> GetRefs(string field) => Snapshot[field] is { Kind: XmlRpcKind.Array } v ? v.AsStringArray() : [];
}
