namespace VmBackup.Core.PoolDb;

/// <summary>A VM the dump records as Suspended whose suspend disk was on local (non-shared) storage.</summary>
/// <param name="Uuid">VM uuid.</param>
/// <param name="Name">VM name label.</param>
/// <param name="SrName">Name of the SR of the suspend disk, or empty when the SR is not in the dump.</param>
public sealed record PoolDbSuspendedVm(string Uuid, string Name, string SrName);
