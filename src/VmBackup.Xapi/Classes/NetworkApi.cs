using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>network</c> messages.</summary>
public sealed class NetworkApi : XenNamedClassApi<NetworkRecord>
{
    internal NetworkApi(XenApiSession session)
        : base(session)
    {
    }
}
