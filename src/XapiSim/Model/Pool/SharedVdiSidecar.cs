using XapiSim.Model.Database;
using XapiSim.Storage;

namespace XapiSim.Model.Pool;

/// <summary>
/// What a pool writes into the sidecar of a VDI it creates on a shared (replicated) SR: what SM keeps about the VDI
/// on the LUN, so that another pool scanning the storage introduces the same VDI (names, type, snapshot fields).
/// </summary>
internal static class SharedVdiSidecar
{
    /// <summary>
    /// The sidecar of a new VDI: <paramref name="uuid"/>, size, name and type, and from the VDI's field
    /// <paramref name="values"/> its description, <c>is_a_snapshot</c>, <c>snapshot_time</c> and <c>snapshot_of</c>
    /// (recorded as the uuid of the VDI that ref names; empty when it names none).
    /// </summary>
    public static SharedVdiInfo For(PoolDatabase db, string uuid, string name, string type, long virtualSize, IReadOnlyDictionary<string, object>? values)
    {
        var isSnapshot = values?.GetValueOrDefault("is_a_snapshot") is true;
        var of = values?.GetValueOrDefault("snapshot_of") as string;
        return new SharedVdiInfo
        {
            Uuid = uuid,
            VirtualSize = virtualSize,
            NameLabel = name,
            NameDescription = values?.GetValueOrDefault("name_description") as string ?? string.Empty,
            Type = type,
            IsASnapshot = isSnapshot,
            SnapshotOf = isSnapshot && of is not null && db.Exists(of, "VDI") ? db.GetString("VDI", of, "uuid") : null,
            SnapshotTime = isSnapshot ? values?.GetValueOrDefault("snapshot_time") as DateTime? : null,
        };
    }
}
