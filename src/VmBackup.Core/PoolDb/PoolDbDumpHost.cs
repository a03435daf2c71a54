namespace VmBackup.Core.PoolDb;

/// <summary>A host row of a pool database dump.</summary>
/// <param name="Uuid">Host uuid.</param>
/// <param name="Name">Host name label.</param>
/// <param name="Address">Management address.</param>
/// <param name="IsMaster">True for the pool's master in the dump.</param>
public sealed record PoolDbDumpHost(string Uuid, string Name, string Address, bool IsMaster);
