using System.Runtime.CompilerServices;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// What the data plane remembers about a pool beyond its database: the database restore staged by
/// <c>PUT /pool/xmldbdump</c> (xapi would restart on it; the simulator keeps running) and the last
/// <c>PUT /host_restore</c> upload. Thread-safe.
/// </summary>
public sealed class DataPlaneState
{
    private static readonly ConditionalWeakTable<SimulatedPool, DataPlaneState> Registry = [];
    private readonly Lock _sync = new();
    private int _stagedTables;
    private long _stagedBytes;
    private int _hostRestores;

    /// <summary>The state of <paramref name="pool"/>.</summary>
    public static DataPlaneState For(SimulatedPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Registry.GetValue(pool, _ => new DataPlaneState());
    }

    /// <summary>Size in bytes of the staged database restore, or 0 when none.</summary>
    public long StagedRestoreBytes
    {
        get { lock (_sync) { return _stagedBytes; } }
    }

    /// <summary>Number of tables in the staged database restore.</summary>
    public int StagedRestoreTables
    {
        get { lock (_sync) { return _stagedTables; } }
    }

    /// <summary>How many host restores were accepted.</summary>
    public int HostRestores
    {
        get { lock (_sync) { return _hostRestores; } }
    }

    internal void StageRestore(long bytes, int tables)
    {
        lock (_sync)
        {
            _stagedBytes = bytes;
            _stagedTables = tables;
        }
    }

    internal void RecordHostRestore()
    {
        lock (_sync)
        {
            _hostRestores++;
        }
    }
}
