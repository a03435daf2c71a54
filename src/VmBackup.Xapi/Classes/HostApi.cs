using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>host</c> messages.</summary>
public sealed class HostApi : XenNamedClassApi<HostRecord>
{
    internal HostApi(XenApiSession session)
        : base(session)
    {
    }
}
