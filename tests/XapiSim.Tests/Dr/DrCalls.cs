using System.Net;
using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

/// <summary>Calls made with another session than the pool's own (a database session of <c>VDI.open_database</c>).</summary>
internal static class DrCalls
{
    public static async Task<object> CallWithAsync(SharedPool pool, string session, string method, params object[] args)
        => await pool.Simulator.Dispatcher.CallAsync(
            method,
            [session, .. args],
            new RpcCallContext(RpcProtocol.XmlRpc, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 443)),
            CancellationToken.None);

    /// <summary>The pool's "Metadata for DR" VDI, or null (one at most).</summary>
    public static string? MetadataVdi(SharedPool pool)
        => pool.Simulator.Database.Where("VDI", r => (string)r["type"] == "metadata" && (string)r["name_label"] == "Metadata for DR").SingleOrDefault();
}
