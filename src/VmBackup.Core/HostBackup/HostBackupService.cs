using VmBackup.Core.PoolDb;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.HostBackup;

/// <summary>
/// Backs up and restores a host's control domain (<c>GET /host_backup</c>, <c>PUT /host_restore</c>, what
/// <c>xe host-backup</c> / <c>xe host-restore</c> do) and logs the XenServer guide's advice: the backup holds neither
/// the SRs nor the VMs, a fresh install plus the pool database is usually the better recovery, and a restore takes
/// effect when the host boots from the installation media's restore option.
/// </summary>
/// <param name="session">A session on the pool.</param>
/// <param name="transfers">The pool's HTTP transfers.</param>
/// <param name="log">Receives one line per step and piece of advice.</param>
public sealed class HostBackupService(XenApiSession session, XenApiTransfers transfers, Action<string> log)
{
    /// <summary>
    /// The host named <paramref name="host"/> (name label, uuid, host name or address), or the pool's master when null.
    /// </summary>
    /// <exception cref="HostBackupException">No such host, or more than one.</exception>
    public async Task<(XenRef<HostRecord> Ref, HostRecord Record)> ResolveHostAsync(string? host, CancellationToken cancellationToken)
    {
        var hosts = await session.Host.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            var pools = await session.Pool.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
            var master = pools.Values.First().Master;
            return (master, hosts[master]);
        }

        var matches = hosts.Where(h => string.Equals(h.Value.NameLabel, host, StringComparison.Ordinal)
            || string.Equals(h.Value.Uuid, host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(h.Value.Hostname, host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(h.Value.Address, host, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => (matches[0].Key, matches[0].Value),
            0 => throw new HostBackupException($"no host '{host}' in the pool (known: {string.Join(", ", hosts.Values.Select(h => h.NameLabel))})"),
            _ => throw new HostBackupException($"'{host}' names {matches.Count} hosts: use the host's uuid"),
        };
    }

    /// <summary>
    /// Writes the control domain backup of <paramref name="host"/> (default: the master) to <paramref name="file"/>,
    /// atomically, mode 0600 (it holds the host's secrets), and checks it reads back as a complete archive.
    /// </summary>
    public async Task<HostBackupContents> BackupAsync(string? host, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var (reference, record) = await ResolveHostAsync(host, cancellationToken).ConfigureAwait(false);
        log($"GET /host_backup host='{record.NameLabel}' uuid {record.Uuid} file-name='{file}'");
        var output = PrivateFile.Create(file);
        await using (output.ConfigureAwait(false))
        {
            var export = await transfers.ExportHostBackupAsync(reference, cancellationToken).ConfigureAwait(false);
            await using (export.ConfigureAwait(false))
            {
                await Backup.StreamPump.CopyAsync(export, output.Stream, null, cancellationToken).ConfigureAwait(false);
                await export.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        HostBackupContents contents;
        try
        {
            contents = await CheckFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (HostBackupException)
        {
            File.Delete(file);
            throw;
        }

        log($"wrote {file} ({new FileInfo(file).Length} bytes, mode 0600): {contents.Entries} entries, host uuid {contents.InstallationUuid}, product version {contents.ProductVersion}");
        log("note: this backs up only the control domain (dom0) of the host, not the storage repositories that hold the VMs' disks; back those up separately (vmbackup VM backups).");
        log("note: the control domain is best left as installed; a fresh install from the media (or PXE) plus a pool database backup (vmbackup pool-db backup) is usually the simpler recovery.");
        log("note: keep this file private: it holds the host's and the pool's secrets.");
        return contents;
    }

    /// <summary>
    /// Checks <paramref name="file"/> and uploads it to <paramref name="host"/> (default: the master) with
    /// <c>PUT /host_restore</c>; logs how the restore completes.
    /// </summary>
    public async Task<HostBackupContents> RestoreAsync(string? host, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var contents = await CheckFileAsync(file, cancellationToken).ConfigureAwait(false);
        var (reference, record) = await ResolveHostAsync(host, cancellationToken).ConfigureAwait(false);
        log($"backup {file}: {contents.Entries} entries, host uuid {contents.InstallationUuid}, product version {contents.ProductVersion}");
        if (contents.InstallationUuid.Length > 0 && !string.Equals(contents.InstallationUuid, record.Uuid, StringComparison.OrdinalIgnoreCase))
        {
            log($"warning: the backup is of host uuid {contents.InstallationUuid}, not of '{record.NameLabel}' uuid {record.Uuid}: the restored control domain keeps the backup's host UUID (duplicate UUIDs if that host still runs).");
        }

        log($"PUT /host_restore host='{record.NameLabel}' uuid {record.Uuid}");
        var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (input.ConfigureAwait(false))
        {
            await transfers.RestoreHostAsync(reference, input, input.Length, null, cancellationToken).ConfigureAwait(false);
        }

        log("uploaded: the backup is written to the host's backup partition; to complete the restore reboot the host from the installation media and choose to restore from backup; the VMs on shared storage are not touched.");
        log("note: after the host is back, check its pool membership; if it was a member that the pool forgot, re-join it with xe pool-join.");
        return contents;
    }

    private static async Task<HostBackupContents> CheckFileAsync(string file, CancellationToken cancellationToken)
    {
        FileStream input;
        try
        {
            input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostBackupException($"cannot read {file}: {e.Message}", e);
        }

        await using (input.ConfigureAwait(false))
        {
            try
            {
                return await HostBackupArchive.CheckAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch (HostBackupException e)
            {
                throw new HostBackupException($"{file}: {e.Message}", e);
            }
        }
    }
}
