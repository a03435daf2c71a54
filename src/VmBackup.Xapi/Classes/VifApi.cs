using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>VIF</c> messages.</summary>
public sealed class VifApi : XenClassApi<VifRecord>
{
    internal VifApi(XenApiSession session)
        : base(session)
    {
    }
}
