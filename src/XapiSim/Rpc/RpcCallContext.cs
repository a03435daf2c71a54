using System.Net;

namespace XapiSim.Rpc;

/// <summary>Where a call came from, for the dispatcher (logging, per-host behaviour).</summary>
/// <param name="Protocol">The wire protocol of the call.</param>
/// <param name="Remote">The client's address.</param>
/// <param name="Local">The address the call was received on (which simulated host answers).</param>
public sealed record RpcCallContext(RpcProtocol Protocol, IPEndPoint? Remote, IPEndPoint? Local);
