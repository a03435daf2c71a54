using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>The session a data-plane request runs with; <paramref name="Temporary"/> sessions (HTTP Basic) are logged out afterwards.</summary>
internal sealed record TransferCredentials(string Session, bool Temporary)
{
    /// <summary>Logs out a temporary session (used when the request ends before a transfer started, e.g. a redirect).</summary>
    public void Release(SimulatedPool pool)
    {
        if (Temporary)
        {
            pool.DestroySession(Session);
        }
    }
}
