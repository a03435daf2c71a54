using VmBackup.Core.Backup;
using VmBackup.Core.Nau.Config;
using VmBackup.Repository.Nau;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// v3.25's vdi-export command sequence (§5.2) for the disk whose VBD device is <c>xvda</c>: remove a leftover
/// <c>SNAP_&lt;vm&gt;_&lt;disk&gt;</c> snapshot, pre_clean, snapshot, label it, export raw or VHD, destroy the snapshot
/// (also on every failure path, <see cref="SnapshotLifecycle"/>).
/// </summary>
internal static class NauVdiExportJob
{
    public static async Task<(NauDataFileKind Kind, long Bytes)> ExportAsync(NauVmJob job, CancellationToken cancellationToken)
    {
        var ctx = job.Context;
        var session = ctx.Session;
        var vmName = job.VmName;
        if (job.Xvda.IsNull || job.XvdaRecord is null)
        {
            ctx.Log("ERROR gather_vm_meta has no xvda-uuid");
            throw new NauVmFailure(NauStatusDetail.XvdaUuidNotFound(vmName));
        }

        if (job.XvdaRecord.NameLabel.Length == 0)
        {
            ctx.Log("ERROR gather_vm_meta has no xvda-name-label");
            throw new NauVmFailure(NauStatusDetail.XvdaNameLabelNotFound(vmName));
        }

        job.ExpectedBytes = job.XvdaRecord.VirtualSize;
        var xvdaUuid = job.XvdaRecord.Uuid;
        var cmd1 = $"1.cmd: VDI.get_record uuid={xvdaUuid}";
        ctx.Log(cmd1);
        var xvda = await job.StepAsync(NauStatusDetail.VdiListFail(vmName), cmd1, () => session.Vdi.GetRecordAsync(job.Xvda, cancellationToken), cancellationToken).ConfigureAwait(false);

        var label = ("SNAP_" + vmName + "_" + xvda.NameLabel).Replace(' ', '-');
        ctx.Log("check for prev-vdi-snapshot: " + label);
        foreach (var old in await session.Vdi.GetByNameLabelAsync(label, cancellationToken).ConfigureAwait(false))
        {
            var record = await session.Vdi.GetRecordAsync(old, cancellationToken).ConfigureAwait(false);
            if (!record.IsASnapshot)
            {
                continue;
            }

            ctx.Log("cleanup old-snap-vdi-uuid: " + record.Uuid);
            var cmd = "cmd: VDI.destroy uuid=" + record.Uuid;
            ctx.Log(cmd);
            await job.WarningStepAsync("WARNING", cmd, () => session.Vdi.DestroyAsync(old, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        await job.PreCleanAsync(cancellationToken).ConfigureAwait(false);

        var lifecycle = new SnapshotLifecycle(session, ctx.Log, ctx.Options.CleanupTimeout);
        await using (lifecycle.ConfigureAwait(false))
        {
            var cmd2 = "2.cmd: VDI.snapshot uuid=" + xvdaUuid;
            ctx.Log(cmd2);
            var snapshot = await job.StepAsync(NauStatusDetail.VdiSnapshotFail(vmName), cmd2, () => lifecycle.SnapshotVdiAsync(job.Xvda, cancellationToken), cancellationToken).ConfigureAwait(false);
            var snapshotUuid = await job.StepAsync(NauStatusDetail.VdiSnapshotFail(vmName), cmd2, () => session.Vdi.GetUuidAsync(snapshot, cancellationToken), cancellationToken).ConfigureAwait(false);
            ctx.Log("snap-uuid: " + snapshotUuid);

            var cmd3 = $"3.cmd: VDI.set_name_label uuid={snapshotUuid} name_label=\"{label}\"";
            ctx.Log(cmd3);
            await job.StepAsync(NauStatusDetail.VdiParamSetFail(vmName), cmd3, async () =>
            {
                await session.Vdi.SetNameLabelAsync(snapshot, label, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var (kind, format, formatName) = ctx.Settings.VdiExportFormat == NauVdiExportFormat.Vhd
                ? (NauDataFileKind.Vhd, VdiExportFormat.Vhd, "vhd")
                : (NauDataFileKind.Raw, VdiExportFormat.Raw, "raw");
            var cmd4 = $"4.cmd: GET /export_raw_vdi format={formatName} uuid={snapshotUuid} filename=\"{job.Folder.DataFilePath(kind)}\"";
            ctx.Log(cmd4);
            var result = await job.StepAsync(
                NauStatusDetail.VdiExportFail(vmName),
                cmd4,
                () => job.ExportToDataFileAsync(kind, ct => ctx.Transfers.ExportVdiAsync(snapshot, format, null, ct), cancellationToken),
                cancellationToken).ConfigureAwait(false);
            ctx.Log("vdi-export success");

            var cmd5 = "5.cmd: VDI.destroy uuid=" + snapshotUuid;
            ctx.Log(cmd5);
            await job.WarningStepAsync("WARNING", cmd5, () => lifecycle.RemoveAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            ctx.Log("*** vdi-export end");
            return result;
        }
    }
}
