using System.Net;
using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

/// <summary>
/// A failover for recovery tests: pool A runs with a shared SR, is prepared, replicates its database into the SR
/// and stops; pool B starts on the same folder and opens A's database from the metadata VDI.
/// </summary>
internal sealed class DrSite : IAsyncDisposable
{
    public const string SrUuid = "7a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";

    private DrSite(SharedPool b, string databaseSession)
    {
        B = b;
        DatabaseSession = databaseSession;
    }

    /// <summary>The recovery pool.</summary>
    public SharedPool B { get; }

    /// <summary>The session of <c>VDI.open_database</c> on B: it reads A's database.</summary>
    public string DatabaseSession { get; }

    public static async Task<DrSite> FailoverAsync(string folder, string vmsOfA, Func<SharedPool, Task>? prepareA = null, string extraSrsOfA = "", string vmsOfB = "")
    {
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, vmsOfA, extraSrsOfA)))
        {
            if (prepareA is not null)
            {
                await prepareA(a);
            }

            await a.CallAsync("SR.enable_database_replication", a.Simulator.Database.FindByUuid("SR", SrUuid)!);
        }

        var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, vmsOfB));
        var session = (string)await b.CallAsync("VDI.open_database", DrCalls.MetadataVdi(b)!);
        return new DrSite(b, session);
    }

    /// <summary>Calls on B with the database session (objects of A's database).</summary>
    public Task<object> ForeignAsync(string method, params object[] args) => DrCalls.CallWithAsync(B, DatabaseSession, method, args);

    /// <summary>The ref, in A's database, of the VM named <paramref name="name"/>.</summary>
    public async Task<string> ForeignVmAsync(string name)
        => (string)((IReadOnlyList<object>)await ForeignAsync("VM.get_by_name_label", name)).ShouldHaveSingleItem();

    /// <summary><c>VM.recover</c> of A's VM named <paramref name="name"/> onto B.</summary>
    public async Task RecoverAsync(string name, bool force = false)
        => await ForeignAsync("VM.recover", await ForeignVmAsync(name), B.Session, force);

    public ValueTask DisposeAsync() => B.DisposeAsync();
}
