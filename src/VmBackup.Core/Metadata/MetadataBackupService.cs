using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Metadata;

/// <summary>
/// What <c>xe-backup-metadata</c> does, through the API (XAPI reference §7.2): the pool database, the
/// <c>/export_metadata</c> archive of every VM and custom template (their snapshots included), an <c>SRMETA.xml</c>
/// and the by-SR index (<see cref="MetadataBySr"/>), stored as one dated backup; the oldest beyond <see cref="MetadataBackupOptions.Keep"/> are removed.
/// </summary>
/// <param name="session">A logged-in session on the pool master.</param>
public sealed class MetadataBackupService(XenApiSession session)
{
    /// <summary>Collects the pool's metadata into a set named after the current time (UTC).</summary>
    public async Task<MetadataSet> CollectAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var name = MetadataFileNames.FormatDate(time.GetUtcNow());
        var transfers = new XenApiTransfers(session);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [MetadataFileNames.PoolDatabase] = await ReadAllAsync(await transfers.ExportPoolDatabaseAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
        };
        var vms = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (vm, record) in vms.Where(v => IsBackedUp(v.Value)).OrderBy(v => v.Value.Uuid, StringComparer.Ordinal))
        {
            var export = await transfers.ExportVmMetadataAsync(vm, exportSnapshots: true, cancellationToken).ConfigureAwait(false);
            files[MetadataFileNames.VmFile(record.Uuid)] = await ReadAllAsync(export, cancellationToken).ConfigureAwait(false);
        }

        var srs = await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vdis = await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        files[MetadataFileNames.SrMeta] = SrMetaXml.Write(srs, vdis);
        var vbds = await session.Vbd.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        return new MetadataSet(name, files) { BySr = MetadataBySr.Compute(vms, vbds, vdis, srs) };
    }

    /// <summary>Collects the metadata and stores it in <paramref name="store"/>, keeping the newest <see cref="MetadataBackupOptions.Keep"/>.</summary>
    /// <exception cref="MetadataBackupException">The store refused the backup (then it is unchanged).</exception>
    public async Task<MetadataBackupResult> BackUpAsync(IMetadataStore store, MetadataBackupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Keep, 1);
        var set = await CollectAsync(options.TimeProvider, cancellationToken).ConfigureAwait(false);
        await store.SaveAsync(set, options.Keep, cancellationToken).ConfigureAwait(false);
        return new MetadataBackupResult(set.Info(), store.Description, await store.ListAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Whether <c>xe-backup-metadata</c> backs the VM up: every VM other than the control domains, and every custom
    /// template; snapshots travel inside their VM's archive.
    /// </summary>
    public static bool IsBackedUp(VmRecord vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return !vm.IsControlDomain && !vm.IsASnapshot && !(vm.IsATemplate && vm.IsDefaultTemplate);
    }

    private static async Task<byte[]> ReadAllAsync(XenApiTransferStream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
