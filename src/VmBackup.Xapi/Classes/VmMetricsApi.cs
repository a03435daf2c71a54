using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>VM_metrics</c> messages.</summary>
public sealed class VmMetricsApi : XenClassApi<VmMetricsRecord>
{
    internal VmMetricsApi(XenApiSession session)
        : base(session)
    {
    }
}
