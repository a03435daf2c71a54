using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace XapiSim.Model.Dr;

/// <summary>
/// The disaster-recovery state of one <see cref="SimulatedPool"/>: the SRs whose database replication is on
/// (with their writers) and the database sessions opened by <c>VDI.open_database</c>, each answering from a
/// read-only pool loaded from a metadata VDI.
/// </summary>
internal sealed class DrState
{
    private static readonly ConditionalWeakTable<SimulatedPool, DrState> States = new();

    private readonly ConcurrentDictionary<string, SimulatedPool> _databaseSessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DatabaseReplication> _replications = new(StringComparer.Ordinal);

    /// <summary>The state of <paramref name="pool"/>, created on first use.</summary>
    public static DrState For(SimulatedPool pool) => States.GetValue(pool, _ => new DrState());

    /// <summary>
    /// The database generation of each foreign metadata VDI whose database could be read when its SR was plugged
    /// (xapi_dr's VDI cache): <c>metadata_latest</c> is computed over these.
    /// </summary>
    public ConcurrentDictionary<string, long> MetadataGenerations { get; } = new(StringComparer.Ordinal);

    public void AddDatabaseSession(string session, SimulatedPool database) => _databaseSessions[session] = database;

    public bool TryGetDatabase(string? session, out SimulatedPool database)
    {
        database = null!;
        return session is not null && _databaseSessions.TryGetValue(session, out database!);
    }

    public void RemoveDatabaseSession(string session) => _databaseSessions.TryRemove(session, out _);

    /// <summary>Starts replicating the database into <paramref name="vdi"/> for <paramref name="sr"/>, unless already on.</summary>
    public void StartReplication(SimulatedPool pool, string sr, string vdi)
    {
        var replication = new DatabaseReplication(pool, vdi);
        if (_replications.TryAdd(sr, replication))
        {
            replication.Start();
        }
        else
        {
            replication.Dispose();
        }
    }

    public bool IsReplicating(string sr) => _replications.ContainsKey(sr);

    /// <summary>Stops every writer (the simulator is shutting down), each after its write in progress.</summary>
    public void StopAll()
    {
        foreach (var sr in _replications.Keys)
        {
            StopReplication(sr);
        }
    }

    /// <summary>Stops replicating into the metadata VDI of <paramref name="sr"/> (the VDI stays).</summary>
    public void StopReplication(string sr)
    {
        if (_replications.TryRemove(sr, out var replication))
        {
            replication.Dispose();
        }
    }
}
