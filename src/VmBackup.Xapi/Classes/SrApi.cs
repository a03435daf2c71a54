using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>SR</c> messages.</summary>
public sealed class SrApi : XenNamedClassApi<SrRecord>
{
    internal SrApi(XenApiSession session)
        : base(session)
    {
    }
}
