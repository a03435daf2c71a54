using System.Globalization;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <summary>
/// Restores a checked backup (<see cref="RestoreSource"/>) onto a pool:
/// <list type="bullet">
/// <item>XVA (plain, gzip, zstd): streamed into <c>PUT /import</c> (XAPI verifies the chunk checksums); renamed, made a
/// non-template; <see cref="RestoreOptions.Preserve"/> imports with <c>restore=true</c> (uuids and MACs kept).</item>
/// <item>raw/VHD (vdi-export of xvda): <c>VM.create</c> from <c>vm-metadata.xml</c>, <c>VDI.create</c> of
/// <c>DISK-xvda/vdi.cfg</c>'s virtual_size on the target SR, <c>PUT /import_raw_vdi</c>, <c>VBD.create</c> as the
/// original device, <c>VIF.create</c> per <c>vif-N.cfg</c> (network by name). With Preserve the disk is imported the
/// same way, then the VM, its VBD and VIFs come from <c>PUT /import_metadata?restore=true</c> with <c>vm-metadata.xml</c>
/// and the VDI map <c>vdi:&lt;original uuid&gt;=&lt;new uuid&gt;</c> (uuid, MACs and settings kept).</item>
/// <item>Disk-only: just the VDI(s).</item>
/// </list>
/// Everything is checked before anything is created (SR exists and is not ISO, name and identity conflicts, networks);
/// whatever is created is recorded and removed again when a later step fails or the restore is cancelled. Nothing on
/// the pool is changed without <see cref="RestoreOptions.Force"/>.
/// </summary>
/// <param name="session">A logged-in session.</param>
/// <param name="log">Receives one line per step (what is created, with uuids); null for none.</param>
public sealed partial class RestoreService(XenApiSession session, Action<string>? log = null)
{
    private static readonly XenApiTransferOptions DefaultTransfers = new() { UploadBufferSize = 4 << 20 };

    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>Restores <paramref name="source"/>; on failure or cancellation removes what it created and rethrows.</summary>
    /// <param name="source">The backup, from <see cref="RestoreSourceReader.LoadAsync"/>.</param>
    /// <param name="options">What to do.</param>
    /// <param name="progress">Receives the bytes uploaded so far.</param>
    /// <param name="cancellationToken">Cancels the restore (and rolls it back).</param>
    /// <exception cref="RestoreRefusedException">A check failed (nothing was created) or XAPI failed a step (what was created was removed).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; what was created was removed.</exception>
    public async Task<RestoreResult> RestoreAsync(RestoreSource source, RestoreOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var clock = options.TimeProvider;
        var started = clock.GetTimestamp();
        var (sr, srRecord) = await ResolveSrAsync(options.Sr, cancellationToken).ConfigureAwait(false);
        var name = options.NewName ?? source.VmName;
        var notes = new List<string>();
        var replace = await CheckConflictsAsync(source, options, name, notes, cancellationToken).ConfigureAwait(false);
        var networks = source.IsXva || options.DiskOnly || options.WithoutNetworks
            ? []
            : await ResolveNetworksAsync(source, options, notes, cancellationToken).ConfigureAwait(false);
        _log($"restoring {source.FolderPath} ({KindText(source)}, {Mb(source.DataFileLength)}) to SR '{srRecord.NameLabel}' ({srRecord.Uuid})"
            + (options.DiskOnly ? " as disk(s) only" : $" as VM '{name}'") + (options.Preserve ? ", preserving identity" : ", new identity"));

        foreach (var (vm, record) in replace)
        {
            _log($"replacing the original VM '{record.NameLabel}' ({record.Uuid}): destroying its record (--force); its disks are kept");

            // The disks are listed before VM.destroy: it destroys the VBDs they are found through.
            var kept = await VdiUuidsAsync(record, cancellationToken).ConfigureAwait(false);
            await session.Vm.DestroyAsync(vm, cancellationToken).ConfigureAwait(false);
            notes.Add($"the original VM {record.Uuid} was destroyed; its disks were kept: " + (kept.Count > 0 ? string.Join(", ", kept) : "none"));
        }

        var ledger = new CreatedObjects();
        var transfers = new XenApiTransfers(session, options.Transfers ?? DefaultTransfers);
        var counter = new ByteCounter(progress);
        try
        {
            var (vmRef, disks) = source.IsXva
                ? await RestoreXvaAsync(source, options, name, sr, transfers, counter, ledger, cancellationToken).ConfigureAwait(false)
                : await RestoreDiskImageAsync(source, options, name, sr, networks, transfers, counter, ledger, notes, cancellationToken).ConfigureAwait(false);

            VmRecord? vmRecord = null;
            if (vmRef is { } v)
            {
                if (options.Start)
                {
                    _log($"starting VM '{name}'");
                    await session.Vm.StartAsync(v, false, false, cancellationToken).ConfigureAwait(false);
                }

                vmRecord = await session.Vm.GetRecordAsync(v, cancellationToken).ConfigureAwait(false);
            }

            ledger.Commit();
            var duration = clock.GetElapsedTime(started);
            return new RestoreResult(vmRef?.OpaqueRef, vmRecord?.Uuid, vmRecord?.NameLabel, disks, vmRecord?.Vifs.Count ?? 0, counter.Bytes, duration, options.Start && vmRef is not null, notes);
        }
        catch (Exception e)
        {
            var failures = await ledger.RollbackAsync(session, options.CleanupTimeout).ConfigureAwait(false);
            var leftovers = failures.Count == 0 ? string.Empty : " Cleanup failed: " + string.Join("; ", failures) + ".";
            switch (e)
            {
                case OperationCanceledException:
                    _log("restore cancelled; everything it created was removed." + leftovers);
                    throw;
                case XenApiException x:
                    throw new RestoreRefusedException(
                        $"restore of {source.FolderPath} failed: XAPI {x.ErrorCode} [{string.Join(", ", x.ErrorParameters)}]; everything it created was removed.{leftovers}", x);
                case XenApiConnectionException c:
                    throw new RestoreRefusedException($"restore of {source.FolderPath} failed: {c.Message}; everything it created was removed.{leftovers}", c);
                case IOException io:
                    throw new RestoreRefusedException($"restore of {source.FolderPath} failed: {io.Message}; everything it created was removed.{leftovers}", io);
                default:
                    throw;
            }
        }
    }

    private static string KindText(RestoreSource source) => Path.GetFileName(source.DataFilePath);

    internal static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private async Task<IReadOnlyList<string>> VdiUuidsAsync(VmRecord record, CancellationToken cancellationToken)
    {
        var uuids = new List<string>();
        foreach (var vbd in record.Vbds)
        {
            try
            {
                var vbdRecord = await session.Vbd.GetRecordAsync(vbd, cancellationToken).ConfigureAwait(false);
                if (vbdRecord.Type == VbdType.Disk && !vbdRecord.Vdi.IsNull)
                {
                    uuids.Add(await session.Vdi.GetUuidAsync(vbdRecord.Vdi, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.HandleInvalid)
            {
            }
        }

        return uuids;
    }

    private async Task<IReadOnlyList<RestoredDisk>> DisksOfAsync(XenRef<VmRecord> vm, CancellationToken cancellationToken)
    {
        var disks = new List<RestoredDisk>();
        foreach (var vbd in await session.Vm.GetVbdsAsync(vm, cancellationToken).ConfigureAwait(false))
        {
            var record = await session.Vbd.GetRecordAsync(vbd, cancellationToken).ConfigureAwait(false);
            if (record.Type != VbdType.Disk || record.Vdi.IsNull)
            {
                continue;
            }

            var vdi = await session.Vdi.GetRecordAsync(record.Vdi, cancellationToken).ConfigureAwait(false);
            disks.Add(new RestoredDisk(record.Device.Length > 0 ? record.Device : record.Userdevice, record.Userdevice, vdi.Uuid, vdi.NameLabel, vdi.VirtualSize));
        }

        return [.. disks.OrderBy(d => d.UserDevice!.Length).ThenBy(d => d.UserDevice, StringComparer.Ordinal)];
    }

    /// <summary>Counts uploaded bytes across transfers and forwards them.</summary>
    private sealed class ByteCounter(IProgress<long>? progress) : IProgress<long>
    {
        private long _base;

        public long Bytes { get; private set; }

        public void Report(long value)
        {
            Bytes = _base + value;
            progress?.Report(Bytes);
        }

        /// <summary>Starts a new transfer: later reports add to what was sent.</summary>
        public void NextTransfer() => _base = Bytes;
    }
}
