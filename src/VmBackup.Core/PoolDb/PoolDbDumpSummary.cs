namespace VmBackup.Core.PoolDb;

/// <summary>What a checked pool database dump holds (<see cref="PoolDbDumpInspector"/>).</summary>
/// <param name="SchemaMajor">The manifest's <c>schema_major_vsn</c>.</param>
/// <param name="SchemaMinor">The manifest's <c>schema_minor_vsn</c>.</param>
/// <param name="GenerationCount">The manifest's <c>generation_count</c>, or empty.</param>
/// <param name="PoolUuid">The uuid of the dump's pool.</param>
/// <param name="PoolName">The name of the dump's pool.</param>
/// <param name="Hosts">The dump's hosts.</param>
/// <param name="SuspendedVmsOnLocalStorage">Suspended VMs whose suspend disk is on a non-shared (or unknown) SR.</param>
/// <param name="Tables">Number of tables.</param>
public sealed record PoolDbDumpSummary(
    int SchemaMajor,
    int SchemaMinor,
    string GenerationCount,
    string PoolUuid,
    string PoolName,
    IReadOnlyList<PoolDbDumpHost> Hosts,
    IReadOnlyList<PoolDbSuspendedVm> SuspendedVmsOnLocalStorage,
    int Tables);
