using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// Every copy of every VM and vApp found in the metadata VDIs a pool sees (other pools' metadata only: a pool's own
/// metadata describes what it already has), with the database sessions to recover them. Dispose to log the sessions out.
/// </summary>
internal sealed class DrMetadataCatalog : IAsyncDisposable
{
    private readonly List<DrMetadataSource> _sources = [];
    private readonly List<DrDatabaseSession> _databases = [];

    private DrMetadataCatalog()
    {
    }

    /// <summary>The metadata databases opened, in the order read.</summary>
    public IReadOnlyList<DrMetadataSource> Sources => _sources;

    /// <summary>Every VM copy (not templates, snapshots or control domains).</summary>
    public List<DrVmCopy> Vms { get; } = [];

    /// <summary>Every vApp copy.</summary>
    public List<DrApplianceCopy> Appliances { get; } = [];

    /// <summary>Opens the metadata VDIs of other pools on <paramref name="srs"/> and reads their VMs and vApps.</summary>
    public static async Task<DrMetadataCatalog> OpenAsync(XenApiSession session, IReadOnlyCollection<XenRef<SrRecord>> srs, Action<string> report, CancellationToken cancellationToken)
    {
        var pools = await session.Pool.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var ownPool = pools.Count > 0 ? pools[0].OpaqueRef : string.Empty;
        var srRecords = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vdis = await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var catalog = new DrMetadataCatalog();
        try
        {
            foreach (var (vdiRef, vdi) in vdis.Where(kv => kv.Value.Type == VdiType.Metadata && srs.Contains(kv.Value.Sr)).OrderBy(kv => kv.Value.Uuid, StringComparer.Ordinal))
            {
                var sr = srRecords.TryGetValue(vdi.Sr, out var record) ? record : new SrRecord { NameLabel = vdi.Sr.OpaqueRef };
                if (vdi.MetadataOfPool.OpaqueRef == ownPool)
                {
                    report($"metadata of this pool on SR {sr.NameLabel}: not a source");
                    continue;
                }

                string poolUuid;
                try
                {
                    poolUuid = await session.CallAsync<string>("VDI.read_database_pool_uuid", [vdiRef], cancellationToken).ConfigureAwait(false);
                }
                catch (XenApiException e)
                {
                    report($"warning: metadata VDI {vdi.Uuid} on SR {sr.NameLabel} holds no readable database: {e.Message}");
                    continue;
                }

                var database = await DrDatabaseSession.OpenAsync(session, vdiRef.OpaqueRef, cancellationToken).ConfigureAwait(false);
                catalog._databases.Add(database);
                var foreignPools = await database.GetAllRecordsAsync<PoolRecord>(cancellationToken).ConfigureAwait(false);
                var source = new DrMetadataSource(database, vdiRef, sr.NameLabel, sr.Uuid, poolUuid, vdi.MetadataLatest)
                {
                    PoolName = foreignPools.Values.Select(p => p.NameLabel).FirstOrDefault() ?? string.Empty,
                };
                catalog._sources.Add(source);
                await catalog.ReadAsync(source, cancellationToken).ConfigureAwait(false);
                report($"read {source.Describe()}");
            }
        }
        catch
        {
            await catalog.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return catalog;
    }

    /// <summary>Logs every database session out.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync().ConfigureAwait(false);
        }

        _databases.Clear();
    }

    private async Task ReadAsync(DrMetadataSource source, CancellationToken cancellationToken)
    {
        var vms = await source.Database.GetAllRecordsAsync<VmRecord>(cancellationToken).ConfigureAwait(false);
        var copies = vms
            .Where(kv => !kv.Value.IsATemplate && !kv.Value.IsASnapshot && !kv.Value.IsControlDomain)
            .Select(kv => new DrVmCopy(source, kv.Key, kv.Value))
            .OrderBy(c => c.Vm.NameLabel, StringComparer.Ordinal)
            .ToList();
        Vms.AddRange(copies);
        var appliances = await source.Database.GetAllRecordsAsync<VmApplianceRecord>(cancellationToken).ConfigureAwait(false);
        foreach (var (applianceRef, appliance) in appliances.OrderBy(kv => kv.Value.NameLabel, StringComparer.Ordinal))
        {
            var members = copies.Where(c => c.Vm.Appliance.OpaqueRef == applianceRef)
                .OrderBy(c => c.Vm.Order)
                .ThenBy(c => c.Vm.NameLabel, StringComparer.Ordinal)
                .ToList();
            Appliances.Add(new DrApplianceCopy(source, applianceRef, appliance, members));
        }
    }
}
