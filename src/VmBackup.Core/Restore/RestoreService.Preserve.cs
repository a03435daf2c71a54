using VmBackup.Repository.Nau;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <content>
/// raw/VHD restores with <see cref="RestoreOptions.Preserve"/>: once the disk is imported, the VM is created by
/// <c>PUT /import_metadata?restore=true&amp;vdi:&lt;original VDI uuid&gt;=&lt;new VDI uuid&gt;</c> from the backup's
/// <c>vm-metadata.xml</c>, so it keeps its uuid, MACs and settings (<c>VM.create</c> cannot set a uuid).
/// </content>
public sealed partial class RestoreService
{
    private async Task<XenRef<VmRecord>> ImportPreservedVmAsync(
        PreservedVmMetadata preserved,
        string vdiUuid,
        TimeProvider clock,
        XenApiTransfers transfers,
        CreatedObjects ledger,
        CancellationToken cancellationToken)
    {
        var tar = await preserved.ToTarAsync(clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { [preserved.XvdaVdiUuid] = vdiUuid };
        _log($"PUT /import_metadata restore=true vdi:{preserved.XvdaVdiUuid}={vdiUuid} ({NauBackupFolder.VmMetadataFileName}, {tar.Length} bytes)");
        IReadOnlyList<XenRef<VmRecord>> vms;
        using (var body = new MemoryStream(tar, writable: false))
        {
            // force=false: XAPI then removes what a failed import created, and refuses a VDI it cannot find.
            vms = await transfers.ImportVmMetadataAsync(body, tar.Length, restore: true, force: false, dryRun: false, map, null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var created in vms)
        {
            ledger.Add(created);
        }

        if (vms.Count == 0)
        {
            throw new RestoreRefusedException($"the import of {NauBackupFolder.VmMetadataFileName} created no VM");
        }

        var record = await session.Vm.GetRecordAsync(vms[0], cancellationToken).ConfigureAwait(false);
        _log($"created VM '{record.NameLabel}' ({record.Uuid}) from {NauBackupFolder.VmMetadataFileName}, {record.Vifs.Count} VIF(s)");
        return vms[0];
    }
}
