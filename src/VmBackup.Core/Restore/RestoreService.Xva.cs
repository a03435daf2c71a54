using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <content>XVA restores: <c>PUT /import</c>.</content>
public sealed partial class RestoreService
{
    private async Task<(XenRef<VmRecord>? Vm, IReadOnlyList<RestoredDisk> Disks)> RestoreXvaAsync(
        RestoreSource source,
        RestoreOptions options,
        string name,
        XenRef<SrRecord> sr,
        XenApiTransfers transfers,
        ByteCounter counter,
        CreatedObjects ledger,
        CancellationToken cancellationToken)
    {
        _log($"PUT /import restore={(options.Preserve && !options.DiskOnly ? "true" : "false")} ({Path.GetFileName(source.DataFilePath)}, {Mb(source.DataFileLength)})");
        IReadOnlyList<XenRef<VmRecord>> vms;
        var file = OpenData(source);
        await using (file.ConfigureAwait(false))
        {
            // force=false always: XAPI's force would skip the chunk checksums and the cleanup of a failed import.
            vms = await transfers.ImportVmAsync(file, source.DataFileLength, sr, restore: options.Preserve && !options.DiskOnly, force: false, counter, cancellationToken).ConfigureAwait(false);
        }

        foreach (var created in vms)
        {
            ledger.Add(created);
        }

        if (vms.Count == 0)
        {
            throw new RestoreRefusedException($"the import of {source.DataFilePath} created no VM");
        }

        var vm = vms[0];
        var record = await session.Vm.GetRecordAsync(vm, cancellationToken).ConfigureAwait(false);
        _log($"imported VM '{record.NameLabel}' ({record.Uuid})");
        if (record.IsATemplate)
        {
            await session.Vm.SetIsATemplateAsync(vm, false, cancellationToken).ConfigureAwait(false);
        }

        if (options.DiskOnly)
        {
            var disks = await DisksOfAsync(vm, cancellationToken).ConfigureAwait(false);
            foreach (var disk in disks)
            {
                ledger.Add(await session.Vdi.GetByUuidAsync(disk.VdiUuid, cancellationToken).ConfigureAwait(false));
            }

            await session.Vm.DestroyAsync(vm, cancellationToken).ConfigureAwait(false);
            ledger.Forget(vm);
            foreach (var disk in disks)
            {
                _log($"created VDI '{disk.NameLabel}' ({disk.VdiUuid}, {Mb(disk.VirtualSize)}) from {disk.Device}");
            }

            return (null, [.. disks.Select(d => d with { UserDevice = null })]);
        }

        if (record.NameLabel != name)
        {
            await session.Vm.SetNameLabelAsync(vm, name, cancellationToken).ConfigureAwait(false);
        }

        if (options.WithoutNetworks)
        {
            foreach (var vif in record.Vifs)
            {
                await session.CallAsync("VIF.destroy", [vif], cancellationToken).ConfigureAwait(false);
            }
        }

        _log($"created VM '{name}' ({record.Uuid})");
        return (vm, await DisksOfAsync(vm, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The data file for a sequential upload: no FileStream buffer (the upload has its own pooled buffer).</summary>
    private static FileStream OpenData(RestoreSource source) =>
        new(source.DataFilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
