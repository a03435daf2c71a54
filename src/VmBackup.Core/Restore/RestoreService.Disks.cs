using VmBackup.Repository.Nau;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <content>
/// raw/VHD restores (vdi-export): VM from metadata, VDI, <c>PUT /import_raw_vdi</c>, VBD, VIFs; with
/// <see cref="RestoreOptions.Preserve"/> the VM, VBD and VIFs come from <c>PUT /import_metadata?restore=true</c> instead.
/// </content>
public sealed partial class RestoreService
{
    private async Task<(XenRef<VmRecord>? Vm, IReadOnlyList<RestoredDisk> Disks)> RestoreDiskImageAsync(
        RestoreSource source,
        RestoreOptions options,
        string name,
        XenRef<SrRecord> sr,
        IReadOnlyList<(RestoreNetworkInterface Vif, XenRef<NetworkRecord> Network)> networks,
        XenApiTransfers transfers,
        ByteCounter counter,
        CreatedObjects ledger,
        List<string> notes,
        CancellationToken cancellationToken)
    {
        var xvda = source.Xvda ?? throw new RestoreRefusedException("DISK-xvda/vdi.cfg is missing. Nothing was created on the pool.");
        var vmObject = source.VmMetadata?.Vm;
        if (!options.DiskOnly && vmObject is null)
        {
            throw new RestoreRefusedException(
                $"{NauBackupFolder.VmMetadataFileName} is missing or empty in {source.FolderPath}: the VM's settings (memory, vCPUs, boot) are unknown. "
                + "Restore the disk with --disk-only and attach it to a VM by hand. Nothing was created on the pool.");
        }

        foreach (var other in source.Disks.Where(d => d != xvda))
        {
            notes.Add($"{other.FolderName} ({Mb(other.VirtualSize)}) is not in this backup (vdi-export saves xvda only): not restored");
        }

        var preserved = options.Preserve && !options.DiskOnly
            ? PreservedVmMetadata.From(source.VmMetadata!, xvda, name, options.WithoutNetworks ? new HashSet<string>() : networks.Select(n => n.Vif.Device).ToHashSet(StringComparer.Ordinal))
            : null;
        if (options.Preserve && !options.DiskOnly && preserved is null)
        {
            notes.Add($"{NauBackupFolder.VmMetadataFileName} does not describe the VDI of {xvda.FolderName}: the VM was created with VM.create, its uuid is not kept");
        }

        XenRef<VmRecord>? vm = null;
        if (!options.DiskOnly && preserved is null)
        {
            var spec = OvaVmCreateSpec.Build(vmObject!, name, keepMacSeed: options.Preserve);
            vm = await session.CallAsync<XenRef<VmRecord>>("VM.create", [spec], cancellationToken).ConfigureAwait(false);
            ledger.Add(vm.Value);
            _log($"created VM '{name}' ({await session.Vm.GetUuidAsync(vm.Value, cancellationToken).ConfigureAwait(false)}) from {NauBackupFolder.VmMetadataFileName}");
        }

        var vdi = await session.Vdi.CreateAsync(
            new VdiCreateSpec
            {
                NameLabel = xvda.NameLabel,
                NameDescription = xvda.NameDescription,
                Sr = sr,
                VirtualSize = xvda.VirtualSize,
                Type = ParseVdiType(xvda.VdiType),
                Sharable = xvda.Sharable,
                ReadOnly = false,
            },
            cancellationToken).ConfigureAwait(false);
        ledger.Add(vdi);
        var vdiUuid = await session.Vdi.GetUuidAsync(vdi, cancellationToken).ConfigureAwait(false);
        _log($"created VDI '{xvda.NameLabel}' ({vdiUuid}, {Mb(xvda.VirtualSize)})");

        var format = source.Kind == NauDataFileKind.Vhd ? VdiImportFormat.Vhd : VdiImportFormat.Raw;
        _log($"PUT /import_raw_vdi format={(format == VdiImportFormat.Vhd ? "vhd" : "raw")} ({Path.GetFileName(source.DataFilePath)}, {Mb(source.DataFileLength)})");
        var file = OpenData(source);
        await using (file.ConfigureAwait(false))
        {
            counter.NextTransfer();
            await transfers.ImportVdiAsync(vdi, file, source.DataFileLength, format, counter, cancellationToken).ConfigureAwait(false);
        }

        if (xvda.ReadOnly)
        {
            await session.Vdi.SetFieldAsync(vdi, "read_only", true, cancellationToken).ConfigureAwait(false);
        }

        if (preserved is not null)
        {
            var imported = await ImportPreservedVmAsync(preserved, vdiUuid, options.TimeProvider, transfers, ledger, cancellationToken).ConfigureAwait(false);
            return (imported, await DisksOfAsync(imported, cancellationToken).ConfigureAwait(false));
        }

        if (vm is not { } v)
        {
            return (null, [new RestoredDisk(xvda.Device, null, vdiUuid, xvda.NameLabel, xvda.VirtualSize)]);
        }

        var vbd = await session.Vbd.CreateAsync(
            new VbdCreateSpec
            {
                Vm = v,
                Vdi = vdi,
                Userdevice = xvda.UserDevice,
                Bootable = xvda.Bootable,
                Mode = xvda.ReadOnlyMode ? VbdMode.ReadOnly : VbdMode.ReadWrite,
                Type = VbdType.Disk,
                OtherConfig = new Dictionary<string, string>(StringComparer.Ordinal) { ["owner"] = "true" },
            },
            cancellationToken).ConfigureAwait(false);
        ledger.Add(vbd);
        _log($"attached the VDI as userdevice {xvda.UserDevice} ({xvda.Device})");

        if (!options.WithoutNetworks)
        {
            foreach (var (vif, network) in networks)
            {
                var spec = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["device"] = vif.Device,
                    ["network"] = network,
                    ["VM"] = v,
                    ["MAC"] = options.Preserve ? vif.Mac : string.Empty,
                    ["MTU"] = vif.Mtu,
                    ["other_config"] = new Dictionary<string, string>(StringComparer.Ordinal),
                    ["qos_algorithm_type"] = string.Empty,
                    ["qos_algorithm_params"] = new Dictionary<string, string>(StringComparer.Ordinal),
                };
                var created = await session.CallAsync<XenRef<VifRecord>>("VIF.create", [spec], cancellationToken).ConfigureAwait(false);
                ledger.Add(created);
                var mac = await session.Vif.GetFieldAsync<string>(created, "MAC", cancellationToken).ConfigureAwait(false);
                _log($"created VIF {vif.Device} on network '{vif.NetworkNameLabel}' MAC {mac}");
            }
        }

        return (v, await DisksOfAsync(v, cancellationToken).ConfigureAwait(false));
    }

    private static VdiType ParseVdiType(string text) => text.ToLowerInvariant() switch
    {
        "system" => VdiType.System,
        "ephemeral" => VdiType.Ephemeral,
        _ => VdiType.User,
    };
}
