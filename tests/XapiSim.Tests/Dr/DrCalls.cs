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
}
