using VmBackup.Xapi;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// Restores a checked pool database dump (<c>PUT /pool/xmldbdump</c>, what <c>xe pool-restore-database</c> does).
/// Compares the dump with the live pool and logs the warnings of the XenServer guide where they apply (foreign dump,
/// host UUIDs duplicated on different hardware, suspended VMs whose suspend disk was local, members to forget and
/// re-join), then always asks the pool for a dry run first; the real restore needs <see cref="PoolDbRestoreOptions.Yes"/>.
/// </summary>
/// <param name="session">A session on the target pool.</param>
/// <param name="transfers">The target pool's HTTP transfers.</param>
/// <param name="log">Receives one line per check, warning and step.</param>
public sealed class PoolDatabaseRestore(XenApiSession session, XenApiTransfers transfers, Action<string> log)
{
    /// <summary>Checks <paramref name="dump"/> against the pool and restores it (or only checks it).</summary>
    /// <exception cref="PoolDbRestoreRefusedException">Foreign dump without force, no <c>Yes</c>, or the pool's dry run failed.</exception>
    public async Task RestoreAsync(PoolDbDumpFile dump, PoolDbRestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dump);
        ArgumentNullException.ThrowIfNull(options);
        var summary = dump.Summary;
        log($"dump {dump.Path}{(dump.WasEncrypted ? " (encrypted, decrypted and authenticated)" : string.Empty)}: pool '{summary.PoolName}' uuid {summary.PoolUuid}, schema {summary.SchemaMajor}.{summary.SchemaMinor}, {summary.Hosts.Count} host(s), {summary.Tables} tables, {dump.Length} bytes");
        var pools = await session.Pool.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var hosts = await session.Host.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var pool = pools.Values.First();
        log($"target: pool '{pool.NameLabel}' uuid {pool.Uuid}, {hosts.Count} host(s)");
        if (!string.Equals(pool.Uuid, summary.PoolUuid, StringComparison.OrdinalIgnoreCase))
        {
            if (!options.Force)
            {
                throw new PoolDbRestoreRefusedException($"foreign dump: it is of pool '{summary.PoolName}' uuid {summary.PoolUuid}, not of the target pool '{pool.NameLabel}' uuid {pool.Uuid}; refused (pass --force to restore it anyway, e.g. onto a freshly installed host)");
            }

            log($"warning: foreign dump (pool uuid {summary.PoolUuid}), restoring because of --force");
        }

        var liveHosts = hosts.Values.Select(h => h.Uuid).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var host in summary.Hosts.Where(h => !liveHosts.Contains(h.Uuid)))
        {
            log($"warning: host '{host.Name}' uuid {host.Uuid} ({host.Address}) of the dump is not in the target pool: hosts restored this way keep their UUIDs; if you restore to a different physical machine while the original host is still running there will be duplicate UUIDs (XenCenter refuses to connect to the second host). A pool database backup is not a way to clone hosts.");
        }

        if (summary.SuspendedVmsOnLocalStorage.Count > 0)
        {
            log($"warning: {summary.SuspendedVmsOnLocalStorage.Count} VM(s) are Suspended with their suspended memory on a local SR, which a reinstalled host no longer has; after the restore reset them to Halted (VM.power_state_reset):");
            foreach (var vm in summary.SuspendedVmsOnLocalStorage)
            {
                log($"  xe vm-reset-powerstate uuid={vm.Uuid} --force   # '{vm.Name}'{(vm.SrName.Length > 0 ? ", suspend disk on SR '" + vm.SrName + "'" : string.Empty)}");
            }
        }

        if (summary.Hosts.Count > 1)
        {
            var members = summary.Hosts.Where(h => !h.IsMaster).Select(h => $"'{h.Name}' ({h.Uuid})");
            log($"note: the dump is of a pool of {summary.Hosts.Count} hosts: restore it on the host meant to be the new master, then run xe host-forget on it for each old member ({string.Join(", ", members)}) and xe pool-join on each member host to connect it to the new pool.");
        }

        log("PUT /pool/xmldbdump dry_run=true");
        await PutAsync(dump, dryRun: true, cancellationToken).ConfigureAwait(false);
        log("dry run: the pool accepts the dump");
        if (options.DryRun)
        {
            log("--dry-run: nothing restored");
            return;
        }

        if (!options.Yes)
        {
            throw new PoolDbRestoreRefusedException("a real restore replaces the pool database and restarts the master's toolstack: pass --yes to restore (or --dry-run to only check)");
        }

        log("PUT /pool/xmldbdump dry_run=false");
        await PutAsync(dump, dryRun: false, cancellationToken).ConfigureAwait(false);
        log("restored: the master's toolstack restarts on the restored database; reconnect when it is back");
    }

    private async Task PutAsync(PoolDbDumpFile dump, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            await transfers.RestorePoolDatabaseAsync(dump.Rewind(), dump.Length, dryRun, null, cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e)
        {
            var detail = e.ErrorParameters.Count > 0 ? " " + string.Join(' ', e.ErrorParameters) : string.Empty;
            throw new PoolDbRestoreRefusedException($"the pool rejected the dump{(dryRun ? " in its dry run" : string.Empty)}: {e.ErrorCode}{detail}", e);
        }
    }
}
