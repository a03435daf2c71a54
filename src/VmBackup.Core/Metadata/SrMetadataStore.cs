using System.Globalization;
using System.Security.Cryptography;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Metadata;

/// <summary>
/// Metadata backups kept in the SR's <c>Pool Metadata Backup</c> VDI (<see cref="PoolMetadataVdi"/>) in
/// <see cref="MetadataArchive"/>'s format, read and written whole through <c>/export_raw_vdi</c> and
/// <c>/import_raw_vdi</c>. A new archive is built in a temporary file first; when it is larger than the VDI (at most
/// <see cref="MaxSize"/>) the backup fails and the VDI is left as it was.
/// </summary>
public sealed class SrMetadataStore : IMetadataStore
{
    private readonly XenApiSession _session;
    private readonly XenRef<SrRecord> _sr;
    private readonly SrRecord _srRecord;

    private SrMetadataStore(XenApiSession session, XenRef<SrRecord> sr, SrRecord srRecord, long maxSize)
    {
        _session = session;
        _sr = sr;
        _srRecord = srRecord;
        MaxSize = maxSize;
    }

    /// <summary>The size of the VDI created on first use and the most an archive may take.</summary>
    public long MaxSize { get; }

    /// <inheritdoc/>
    public string Description => $"VDI '{PoolMetadataVdi.NameLabel}' on SR '{_srRecord.NameLabel}'";

    /// <summary>
    /// Opens the store of SR <paramref name="srNameOrUuid"/> (a uuid or a name; null: the pool's default SR).
    /// </summary>
    /// <exception cref="MetadataBackupException">No such SR, or no default SR.</exception>
    public static async Task<SrMetadataStore> OpenAsync(XenApiSession session, string? srNameOrUuid, long maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, MetadataArchive.HeaderSize * 4);
        XenRef<SrRecord> sr;
        if (srNameOrUuid is null)
        {
            var pool = (await session.Pool.GetAllAsync(cancellationToken).ConfigureAwait(false))[0];
            sr = await session.Pool.GetDefaultSrAsync(pool, cancellationToken).ConfigureAwait(false);
            if (sr.IsNull)
            {
                throw new MetadataBackupException("the pool has no default SR: pass --sr SR");
            }
        }
        else
        {
            sr = await FindSrAsync(session, srNameOrUuid, cancellationToken).ConfigureAwait(false);
        }

        return new SrMetadataStore(session, sr, await session.Sr.GetRecordAsync(sr, cancellationToken).ConfigureAwait(false), maxSize);
    }

    /// <summary>The backup VDI, or null before the first backup.</summary>
    public async Task<VdiRecord?> FindVdiAsync(CancellationToken cancellationToken) =>
        (await PoolMetadataVdi.FindAsync(_session, _sr, _srRecord.Uuid, cancellationToken).ConfigureAwait(false))?.Record;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MetadataSetInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var tar = await LoadAsync(await PoolMetadataVdi.FindAsync(_session, _sr, _srRecord.Uuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (tar is null)
        {
            return [];
        }

        await using (tar.ConfigureAwait(false))
        {
            return await MetadataArchive.ListAsync(tar, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<MetadataSet> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var tar = await LoadAsync(await PoolMetadataVdi.FindAsync(_session, _sr, _srRecord.Uuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (tar is not null)
        {
            await using (tar.ConfigureAwait(false))
            {
                if (await MetadataArchive.ReadSetAsync(tar, name, cancellationToken).ConfigureAwait(false) is { } set)
                {
                    return set;
                }
            }
        }

        throw new MetadataBackupException($"no metadata backup '{name}' in {Description}");
    }

    /// <inheritdoc/>
    public async Task SaveAsync(MetadataSet set, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var vdi = await PoolMetadataVdi.FindAsync(_session, _sr, _srRecord.Uuid, cancellationToken).ConfigureAwait(false);
        var old = await LoadAsync(vdi, cancellationToken).ConfigureAwait(false);
        var archive = TempFile();
        await using (archive.ConfigureAwait(false))
        {
            long total;
            try
            {
                IReadOnlyList<MetadataSetInfo> existing = [];
                if (old is not null)
                {
                    existing = await MetadataArchive.ListAsync(old, cancellationToken).ConfigureAwait(false);
                    old.Position = 0;
                }

                if (existing.Any(e => e.Name == set.Name))
                {
                    throw new MetadataBackupException($"metadata backup {set.Name} already exists in {Description}");
                }

                var keepNames = existing.Take(keep - 1).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                var mtime = MetadataFileNames.TryParseDate(set.Name, out var date) ? new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeSeconds() : 0;
                total = await MetadataArchive.WriteAsync(archive, set, old, keepNames, mtime, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (old is not null)
                {
                    await old.DisposeAsync().ConfigureAwait(false);
                }
            }

            var limit = Math.Min(MaxSize, vdi?.Record.VirtualSize ?? MaxSize);
            if (total > limit)
            {
                throw new MetadataBackupException(
                    $"the metadata backup does not fit: {Mib(total)} needed (with the {keep - 1} newest earlier backups kept) but {Description} holds at most {Mib(limit)}; "
                    + "nothing was written and the earlier backups are unchanged (lower --keep, or back up to a folder with --backup-dir)");
            }

            var target = vdi?.Ref ?? (await PoolMetadataVdi.CreateAsync(_session, _sr, MaxSize, cancellationToken).ConfigureAwait(false)).Ref;
            await new XenApiTransfers(_session).ImportVdiAsync(target, archive, total, VdiImportFormat.Raw, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<XenRef<SrRecord>> FindSrAsync(XenApiSession session, string nameOrUuid, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Sr.GetByUuidAsync(nameOrUuid, cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode is XenApiErrorCodes.UuidInvalid or XenApiErrorCodes.HandleInvalid)
        {
            var byName = await session.Sr.GetByNameLabelAsync(nameOrUuid, cancellationToken).ConfigureAwait(false);
            return byName.Count switch
            {
                1 => byName[0],
                0 => throw new MetadataBackupException($"no SR '{nameOrUuid}' (by uuid or name)"),
                _ => throw new MetadataBackupException($"{byName.Count} SRs are named '{nameOrUuid}': pass its uuid"),
            };
        }
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static FileStream TempFile() =>
        new(Path.Combine(Path.GetTempPath(), "vmbackup-metadata-" + Guid.NewGuid().ToString("N") + ".tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>The archive's tar in a temporary file positioned at 0; null when there is no VDI or it is empty.</summary>
    private async Task<FileStream?> LoadAsync((XenRef<VdiRecord> Ref, VdiRecord Record)? vdi, CancellationToken cancellationToken)
    {
        if (vdi is not { } found)
        {
            return null;
        }

        var export = await new XenApiTransfers(_session).ExportVdiAsync(found.Ref, VdiExportFormat.Raw, null, cancellationToken).ConfigureAwait(false);
        await using (export.ConfigureAwait(false))
        {
            var head = new byte[MetadataArchive.HeaderSize];
            var got = await export.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            switch (MetadataArchive.Classify(head.AsSpan(0, got)))
            {
                case MetadataArchiveContent.Empty:
                    return null;
                case MetadataArchiveContent.Foreign:
                    throw new MetadataBackupException(
                        $"{Description} (uuid {found.Record.Uuid}) holds data vmbackup did not write (an xe-backup-metadata ext3 file system?); vmbackup neither reads nor overwrites it");
            }

            var (length, sha) = MetadataArchive.ParseHeader(head);
            if (length > found.Record.VirtualSize)
            {
                throw new MetadataBackupException($"{Description} has a damaged header (length {length} beyond the VDI's end)");
            }

            FileStream? tar = TempFile();
            try
            {
                var buffer = new byte[81920];
                var left = length;
                while (left > 0)
                {
                    var n = await export.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new MetadataBackupException($"{Description} ends before its archive does");
                    }

                    await tar.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    left -= n;
                }

                tar.Position = 0;
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(tar, cancellationToken).ConfigureAwait(false));
                if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
                {
                    throw new MetadataBackupException($"{Description} is damaged: its archive's SHA-256 is {actual}, the header says {sha}");
                }

                tar.Position = 0;
                var loaded = tar;
                tar = null;
                return loaded;
            }
            finally
            {
                tar?.Dispose();
            }
        }
    }
}
