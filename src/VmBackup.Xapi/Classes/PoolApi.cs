using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary><c>pool</c> messages.</summary>
public sealed class PoolApi : XenClassApi<PoolRecord>
{
    internal PoolApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>pool.get_master</c>.</summary>
    public Task<XenRef<HostRecord>> GetMasterAsync(XenRef<PoolRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<XenRef<HostRecord>>(self, "master", cancellationToken);

    /// <summary><c>pool.get_default_SR</c>.</summary>
    public Task<XenRef<SrRecord>> GetDefaultSrAsync(XenRef<PoolRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<XenRef<SrRecord>>(self, "default_SR", cancellationToken);
}
