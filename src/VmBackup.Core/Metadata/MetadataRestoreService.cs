using VmBackup.Xapi;

namespace VmBackup.Core.Metadata;

/// <summary>
/// What <c>xe-restore-metadata</c> does, through the API (XAPI reference §7.3): every <c>.vmmeta</c> of the chosen backup
/// is imported with <c>PUT /import_metadata?restore=true</c> (uuids kept, VBDs pointing at the disks the SRs already
/// hold), then VDI names are set back from <c>SRMETA.xml</c>. A VM whose uuid exists on the pool is a conflict and is
/// left alone (never forced); a dry run asks XAPI (<c>dry_run=true</c>) and changes nothing. With
/// <see cref="MetadataRestoreOptions.BySr"/> only the VMs of the backup's by-SR index under that SR are restored
/// (<c>xe-restore-metadata -m sr</c>); a backup written without the index is refused for it.
/// </summary>
/// <param name="session">A logged-in session on the master of the pool to restore into.</param>
public sealed class MetadataRestoreService(XenApiSession session)
{
    /// <summary>Picks the backup of <paramref name="date"/> (see <see cref="MetadataRestoreOptions.Date"/>) among <paramref name="sets"/> (newest first).</summary>
    /// <exception cref="MetadataBackupException">No backup, or none matches.</exception>
    public static MetadataSetInfo Choose(IReadOnlyList<MetadataSetInfo> sets, string? date)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0)
        {
            throw new MetadataBackupException("there is no metadata backup");
        }

        if (date is null)
        {
            return sets[0];
        }

        var prefix = date.Trim().Replace('T', '-').Replace(' ', '-').Replace(':', '-').TrimEnd('Z');
        return sets.FirstOrDefault(s => s.Name.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new MetadataBackupException($"no metadata backup of {date}; there are: {string.Join(", ", sets.Select(s => s.Name))}");
    }

    /// <summary>Restores (or, with <see cref="MetadataRestoreOptions.DryRun"/>, checks) the VMs of a backup in <paramref name="store"/>.</summary>
    /// <exception cref="MetadataBackupException">
    /// No such backup, a requested VM is not in it, or the SR of <see cref="MetadataRestoreOptions.BySr"/> is not in its
    /// by-SR index (or it has none).
    /// </exception>
    public async Task<MetadataRestoreResult> RestoreAsync(IMetadataStore store, MetadataRestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var chosen = Choose(await store.ListAsync(cancellationToken).ConfigureAwait(false), options.Date);
        var set = await store.ReadAsync(chosen.Name, cancellationToken).ConfigureAwait(false);
        var (srUuid, onSr) = options.BySr is null ? (null, null) : await VmsOnSrAsync(set, options.BySr, cancellationToken).ConfigureAwait(false);
        var wanted = options.Vms.ToHashSet(StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<MetadataRestoreItem>();
        var transfers = new Xapi.Transfers.XenApiTransfers(session);
        foreach (var (path, content) in set.Files.Where(f => MetadataFileNames.IsVmFile(f.Key) && (onSr is null || onSr.Contains(f.Key))))
        {
            var (uuid, name) = VmMetadataFile.Identity(await VmMetadataFile.ReadOvaAsync(content, cancellationToken).ConfigureAwait(false));
            if (wanted.Count > 0)
            {
                var hits = wanted.Where(w => w == name || w == uuid).ToList();
                if (hits.Count == 0)
                {
                    continue;
                }

                found.UnionWith(hits);
            }

            if (await ExistingNameAsync(uuid, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                items.Add(new MetadataRestoreItem(uuid, name, MetadataRestoreOutcome.Conflict, $"VM '{existing}' with uuid {uuid} exists on the pool; left unchanged"));
                continue;
            }

            try
            {
                using var body = new MemoryStream(content, writable: false);
                await transfers.ImportVmMetadataAsync(body, content.Length, restore: true, force: false, options.DryRun, null, cancellationToken).ConfigureAwait(false);
                items.Add(new MetadataRestoreItem(uuid, name, options.DryRun ? MetadataRestoreOutcome.WouldCreate : MetadataRestoreOutcome.Created, null));
            }
            catch (XenApiException e)
            {
                items.Add(new MetadataRestoreItem(uuid, name, MetadataRestoreOutcome.Failed, $"{path}: {e.ErrorCode} {string.Join(" ", e.ErrorParameters)}".TrimEnd()));
            }
        }

        var missing = wanted.Except(found, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 && items.Count == 0)
        {
            throw new MetadataBackupException($"no VM {string.Join(", ", missing.Select(m => "'" + m + "'"))} in metadata backup {set.Name}");
        }

        foreach (var m in missing)
        {
            items.Add(new MetadataRestoreItem(string.Empty, m, MetadataRestoreOutcome.Failed, $"no VM '{m}' in metadata backup {set.Name}"));
        }

        var names = options.DryRun || !set.Files.TryGetValue(MetadataFileNames.SrMeta, out var srMeta) ? 0 : await RestoreVdiNamesAsync(srMeta, srUuid, cancellationToken).ConfigureAwait(false);
        return new MetadataRestoreResult(set.Name, items, names);
    }

    /// <summary>The uuid of SR <paramref name="sr"/> (uuid or name) and the <c>all/&lt;vm&gt;.vmmeta</c> paths indexed under it.</summary>
    private async Task<(string? SrUuid, HashSet<string>? Paths)> VmsOnSrAsync(MetadataSet set, string sr, CancellationToken cancellationToken)
    {
        var index = set.BySr
            ?? throw new MetadataBackupException($"metadata backup {set.Name} has no by-SR index (written before vmbackup recorded one): restore it whole or with --vm");
        var uuid = index.ContainsKey(sr) ? sr : null;
        if (uuid is null && set.Files.TryGetValue(MetadataFileNames.SrMeta, out var srMeta))
        {
            var named = SrMetaXml.ReadSrNames(srMeta).Where(s => s.Value == sr).Select(s => s.Key).ToList();
            uuid = named.Count == 1 ? named[0] : named.FirstOrDefault(index.ContainsKey);
        }

        if (uuid is null)
        {
            var live = await session.Sr.GetByNameLabelAsync(sr, cancellationToken).ConfigureAwait(false);
            foreach (var srRef in live)
            {
                var liveUuid = await session.Sr.GetUuidAsync(srRef, cancellationToken).ConfigureAwait(false);
                if (index.ContainsKey(liveUuid))
                {
                    uuid = liveUuid;
                    break;
                }
            }
        }

        return uuid is not null && index.TryGetValue(uuid, out var vms)
            ? (uuid, vms.Select(MetadataFileNames.VmFile).ToHashSet(StringComparer.Ordinal))
            : throw new MetadataBackupException($"SR '{sr}' is not in the by-SR index of metadata backup {set.Name}");
    }

    private async Task<string?> ExistingNameAsync(string uuid, CancellationToken cancellationToken)
    {
        try
        {
            var vm = await session.Vm.GetByUuidAsync(uuid, cancellationToken).ConfigureAwait(false);
            return await session.Vm.GetNameLabelAsync(vm, cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode is XenApiErrorCodes.UuidInvalid or XenApiErrorCodes.HandleInvalid)
        {
            return null;
        }
    }

    /// <summary>
    /// What <c>restore-sr-metadata.py</c> does: VDI names and descriptions set back for the VDIs the pool has (with
    /// <paramref name="srUuid"/>, as with its <c>-u</c>, only for the VDIs of that SR).
    /// </summary>
    private async Task<int> RestoreVdiNamesAsync(byte[] srMeta, string? srUuid, CancellationToken cancellationToken)
    {
        var names = SrMetaXml.ReadVdiNames(srMeta);
        var srs = srUuid is null ? null : await session.Sr.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var (vdiRef, vdi) in await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (srs is not null && !(srs.TryGetValue(vdi.Sr, out var sr) && sr.Uuid == srUuid))
            {
                continue;
            }

            if (names.TryGetValue(vdi.Uuid, out var saved) && (saved.NameLabel != vdi.NameLabel || saved.NameDescription != vdi.NameDescription))
            {
                await session.Vdi.SetNameLabelAsync(vdiRef, saved.NameLabel, cancellationToken).ConfigureAwait(false);
                await session.Vdi.SetNameDescriptionAsync(vdiRef, saved.NameDescription, cancellationToken).ConfigureAwait(false);
                count++;
            }
        }

        return count;
    }
}
