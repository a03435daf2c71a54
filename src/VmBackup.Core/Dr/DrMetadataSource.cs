using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// One metadata VDI opened with <c>VDI.open_database</c>: the database of the pool <see cref="PoolUuid"/> as last
/// written onto SR <see cref="SrName"/>; <see cref="Latest"/> is xapi's <c>metadata_latest</c> (the newest database
/// generation among the VDIs holding that pool's metadata).
/// </summary>
internal sealed record DrMetadataSource(DrDatabaseSession Database, XenRef<VdiRecord> Vdi, string SrName, string SrUuid, string PoolUuid, bool Latest)
{
    /// <summary>The pool's name label in that database.</summary>
    public string PoolName { get; init; } = string.Empty;

    /// <summary>The pool, for the plan: its name and uuid.</summary>
    public string Pool => PoolName.Length == 0 ? PoolUuid : $"{PoolName} ({PoolUuid})";

    /// <summary>Where the copy comes from, for the plan.</summary>
    public string Describe() => $"pool {Pool}'s metadata on SR {SrName}{(Latest ? string.Empty : " (not the latest)")}";
}
