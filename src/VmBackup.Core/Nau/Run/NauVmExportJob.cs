using VmBackup.Core.Backup;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Repository.Nau;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// v3.25's vm-export command sequence (§5.3): remove a leftover <c>RESTORE_&lt;vm&gt;</c> snapshot, pre_clean, snapshot,
/// clear <c>is_a_template</c>, export the XVA, remove the snapshot and its disks. The snapshot is removed on every
/// failure path too (<see cref="SnapshotLifecycle"/>).
/// </summary>
internal static class NauVmExportJob
{
    public static async Task<(NauDataFileKind Kind, long Bytes)> ExportAsync(NauVmJob job, CancellationToken cancellationToken)
    {
        var ctx = job.Context;
        var session = ctx.Session;
        var vmName = job.VmName;
        if (job.Vm.Uuid.Length == 0)
        {
            ctx.Log("ERROR gather_vm_meta has no vm-uuid");
            throw new NauVmFailure(NauStatusDetail.VmUuidNotFound(vmName));
        }

        var snapshotName = "RESTORE_" + vmName;
        ctx.Log("check for prev-vm-snapshot: " + snapshotName);
        foreach (var old in await session.Vm.GetByNameLabelAsync(snapshotName, cancellationToken).ConfigureAwait(false))
        {
            var record = await session.Vm.GetRecordAsync(old, cancellationToken).ConfigureAwait(false);
            if (!record.IsASnapshot)
            {
                // Only snapshots are ever removed: a real VM that happens to carry the name is left alone.
                continue;
            }

            ctx.Log("cleanup old-snap-vm-uuid: " + record.Uuid);
            var cmd = $"cmd: vm-uninstall uuid={record.Uuid} force=true";
            ctx.Log(cmd);
            var removed = await job.WarningStepAsync("WARNING-ERROR", cmd, () => SnapshotLifecycle.UninstallVmAsync(session, old, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!removed)
            {
                await ctx.StatusEndAsync(job.Kind, NauStatusDetail.VmUninstallFail1(vmName), cancellationToken).ConfigureAwait(false);
            }
        }

        await job.PreCleanAsync(cancellationToken).ConfigureAwait(false);

        var lifecycle = new SnapshotLifecycle(session, ctx.Log, ctx.Options.CleanupTimeout);
        await using (lifecycle.ConfigureAwait(false))
        {
            var cmd1 = $"1.cmd: VM.snapshot vm={job.Vm.Uuid} new_name=\"{snapshotName}\"";
            ctx.Log(cmd1);
            var snapshot = await job.StepAsync(NauStatusDetail.SnapshotFail(vmName), cmd1, () => lifecycle.SnapshotVmAsync(job.VmRef, snapshotName, cancellationToken), cancellationToken).ConfigureAwait(false);
            var snapshotUuid = await job.StepAsync(NauStatusDetail.SnapshotFail(vmName), cmd1, () => session.Vm.GetUuidAsync(snapshot, cancellationToken), cancellationToken).ConfigureAwait(false);
            ctx.Log("snap-uuid: " + snapshotUuid);

            var cmd2 = $"2.cmd: VM.set_is_a_template vm={snapshotUuid} value=false";
            ctx.Log(cmd2);
            await job.StepAsync(NauStatusDetail.TemplateParamSetFail(vmName), cmd2, async () =>
            {
                await session.Vm.SetIsATemplateAsync(snapshot, false, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var (kind, compression, suffix) = ctx.Compress switch
            {
                NauCompression.True => (NauDataFileKind.XvaGzip, XvaCompression.Gzip, " compress=true"),
                NauCompression.Zstd => (NauDataFileKind.XvaZstd, XvaCompression.Zstd, " compress=zstd"),
                _ => (NauDataFileKind.Xva, XvaCompression.None, string.Empty),
            };
            var cmd3 = $"3.cmd: GET /export uuid={snapshotUuid} filename=\"{job.Folder.DataFilePath(kind)}\"{suffix}";
            ctx.Log(cmd3);
            var result = await job.StepAsync(
                NauStatusDetail.VmExportFail(vmName),
                cmd3,
                () => job.ExportToDataFileAsync(kind, ct => ctx.Transfers.ExportVmAsync(snapshot, compression, ct), cancellationToken),
                cancellationToken).ConfigureAwait(false);

            var cmd4 = $"4.cmd: vm-uninstall uuid={snapshotUuid} force=true";
            ctx.Log(cmd4);
            await job.WarningStepAsync("WARNING", cmd4, () => lifecycle.RemoveAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            ctx.Log("*** vm-export end");
            return result;
        }
    }
}
