using System.Reflection;
using VmBackup.Core.Backup;
using VmBackup.Core.Nau.Selection;
using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Metadata;
using VmBackup.Repository.Nau.Retention;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// One VM of a run: v3.25's common prologue (§5.1: begin lines, <c>verify_vm_name</c>, <c>process_backup_dir</c>,
/// <c>gather_vm_meta</c>), the export given by the caller (<see cref="NauVmExportJob"/>, <see cref="NauVdiExportJob"/>),
/// and the finalisation (§5.4: marker, retention, history check, result line, status record).
/// </summary>
internal sealed class NauVmJob
{
    private const long ProgressIntervalMs = 250;
    private readonly NauRunContext _ctx;
    private readonly NauSelectionEntry _entry;
    private DateTimeOffset _begin;

    public NauVmJob(NauRunContext ctx, NauExportKind kind, NauSelectionEntry entry)
    {
        _ctx = ctx;
        Kind = kind;
        _entry = entry;
        MaxBackups = entry.EffectiveMaxBackups(ctx.Settings.MaxBackups);
    }

    public NauExportKind Kind { get; }

    public string VmName => _entry.VmName;

    public int MaxBackups { get; }

    public NauRunContext Context => _ctx;

    public XenRef<VmRecord> VmRef { get; private set; }

    public VmRecord Vm { get; private set; } = new();

    public NauVmFolder VmFolder { get; private set; } = null!;

    public NauBackupFolder Folder { get; private set; } = null!;

    public XenRef<VdiRecord> Xvda { get; private set; }

    public VdiRecord? XvdaRecord { get; private set; }

    public long ExpectedBytes { get; set; }

    public NauVmStatus Status { get; private set; } = NauVmStatus.Success;

    /// <summary>Runs the whole VM; <paramref name="export"/> does the kind-specific part and returns the data file written.</summary>
    /// <exception cref="NauSessionLostException">The pool connection is gone (the VM's end record was written).</exception>
    public async Task<NauVmResult> RunAsync(Func<NauVmJob, CancellationToken, Task<(NauDataFileKind Kind, long Bytes)>> export, CancellationToken cancellationToken)
    {
        _begin = _ctx.Time.GetLocalNow();
        _ctx.Log($"*** {Kind.Name()} begin {_entry}");
        _ctx.Log($"{Kind.Name()} - vm_name: {VmName} max_backups: {MaxBackups}");
        await _ctx.StatusBeginAsync(Kind, VmName, cancellationToken).ConfigureAwait(false);
        try
        {
            await VerifyVmNameAsync(cancellationToken).ConfigureAwait(false);
            await ProcessBackupDirAsync(cancellationToken).ConfigureAwait(false);
            await GatherVmMetaAsync(cancellationToken).ConfigureAwait(false);
            _ctx.Log($"*** {Kind.Name()} begin xe command sequence");
            _ctx.Log(Vm.PowerState == VmPowerState.Running ? "vm is running" : "vm is NOT running");
            var (kind, bytes) = await export(this, cancellationToken).ConfigureAwait(false);
            return await FinaliseAsync(kind, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (NauVmFailure failure)
        {
            return await FailedAsync(failure.StatusDetail, cancellationToken).ConfigureAwait(false);
        }
        catch (NauSessionLostException lost)
        {
            await FailedAsync(lost.StatusDetail, cancellationToken).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _ctx.Log($"ERROR unexpected error in {Kind.Name()} {VmName}: {e.GetType().Name}: {e.Message}");
            if (await IsSessionLostAsync(e, cancellationToken).ConfigureAwait(false))
            {
                await FailedAsync(NauStatusDetail.Internal(VmName), cancellationToken).ConfigureAwait(false);
                throw new NauSessionLostException(NauStatusDetail.Internal(VmName), e);
            }

            return await FailedAsync(NauStatusDetail.Internal(VmName), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The VM's status becomes warning (unless it is already worse).</summary>
    public void Warn() => Status = NauVmStatus.Warning;

    /// <summary>
    /// Runs one step of the command sequence. A XAPI, transfer or file error logs <c>ERROR &lt;cmd&gt;</c> and the reason
    /// and ends the VM with <paramref name="failDetail"/>; a lost session stops the run.
    /// </summary>
    public async Task<T> StepAsync<T>(string failDetail, string cmd, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStepError(e))
        {
            _ctx.Log("ERROR " + cmd);
            _ctx.Log("ERROR reason: " + Describe(e));
            if (await IsSessionLostAsync(e, cancellationToken).ConfigureAwait(false))
            {
                throw new NauSessionLostException(failDetail, e);
            }

            throw new NauVmFailure(failDetail);
        }
    }

    /// <summary>Like <see cref="StepAsync{T}"/> for a step whose failure is only a warning (<c>WARNING &lt;cmd&gt;</c>).</summary>
    public async Task<bool> WarningStepAsync(string warningPrefix, string cmd, Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsStepError(e))
        {
            _ctx.Log(warningPrefix + " " + cmd);
            _ctx.Log("WARNING reason: " + Describe(e));
            if (await IsSessionLostAsync(e, cancellationToken).ConfigureAwait(false))
            {
                throw new NauSessionLostException(NauStatusDetail.Internal(VmName), e);
            }

            Warn();
            return false;
        }
    }

    /// <summary>v3.25's <c>pre_cleanup</c> when <c>pre_clean=True</c>.</summary>
    public Task PreCleanAsync(CancellationToken cancellationToken)
    {
        if (!_ctx.Options.PreClean)
        {
            return Task.CompletedTask;
        }

        var plan = NauRetentionPlanner.PlanPreClean(VmFolder.Path, VmFolder.List(), MaxBackups, Folder.Name);
        return VmFolder.ExecuteAsync(plan, _ctx.Log, cancellationToken);
    }

    /// <summary>
    /// Streams an export into the data file of <paramref name="kind"/> through its <c>.partial</c> file: copy, check the
    /// export's task (a truncated export is never committed), fsync and rename. Reports progress.
    /// </summary>
    public async Task<(NauDataFileKind Kind, long Bytes)> ExportToDataFileAsync(
        NauDataFileKind kind, Func<CancellationToken, Task<XenApiTransferStream>> open, CancellationToken cancellationToken)
    {
        var progress = _ctx.Progress;
        var output = await Folder.OpenDataFileForWriteAsync(kind, cancellationToken).ConfigureAwait(false);
        await using (output.ConfigureAwait(false))
        {
            progress.Started(VmName, Kind.Name(), ExpectedBytes > 0 ? ExpectedBytes : null);
            long bytes = 0;
            var success = false;
            try
            {
                var export = await open(cancellationToken).ConfigureAwait(false);
                await using (export.ConfigureAwait(false))
                {
                    var lastReport = Environment.TickCount64;
                    bytes = await StreamPump.CopyAsync(
                        export,
                        output,
                        total =>
                        {
                            var now = Environment.TickCount64;
                            if (now - lastReport >= ProgressIntervalMs)
                            {
                                lastReport = now;
                                progress.Transferred(VmName, total);
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    await export.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }

                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                success = true;
                return (kind, bytes);
            }
            finally
            {
                progress.Finished(VmName, success, bytes);
            }
        }
    }

    private static bool IsStepError(Exception e) =>
        e is XenApiException or XenApiConnectionException or IOException or UnauthorizedAccessException
            or InvalidDataException or System.Xml.XmlException or VmBackup.Formats.Tar.TarFormatException;

    private static string Describe(Exception e) => e switch
    {
        XenApiException x => PythonText.ReprList([x.ErrorCode, .. x.ErrorParameters]),
        _ => e.Message,
    };

    private async Task<bool> IsSessionLostAsync(Exception e, CancellationToken cancellationToken)
    {
        if (e is XenApiException { ErrorCode: XenApiErrorCodes.SessionInvalid })
        {
            return true;
        }

        if (e is not XenApiConnectionException)
        {
            return false;
        }

        // A cut transfer is that VM's failure; a pool that no longer answers ends the run.
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(TimeSpan.FromSeconds(30));
            await _ctx.Session.Pool.GetAllAsync(probe.Token).ConfigureAwait(false);
            return false;
        }
        catch (Exception probeError) when (probeError is XenApiException or XenApiConnectionException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private async Task VerifyVmNameAsync(CancellationToken cancellationToken)
    {
        var refs = await _ctx.Session.Vm.GetByNameLabelAsync(VmName, cancellationToken).ConfigureAwait(false);
        var records = new Dictionary<string, VmRecord>(StringComparer.Ordinal);
        var pool = new List<PoolVm>();
        foreach (var r in refs)
        {
            var record = await _ctx.Session.Vm.GetRecordAsync(r, cancellationToken).ConfigureAwait(false);
            records[r.OpaqueRef] = record;
            pool.Add(new PoolVm(r.OpaqueRef, record.NameLabel, record.IsATemplate, record.IsASnapshot, record.IsControlDomain));
        }

        var check = NauPoolChecks.VerifyVmName(VmName, pool);
        foreach (var line in check.LogLines)
        {
            _ctx.Sink(line);
        }

        if (!check.Success)
        {
            _ctx.Log("verify_vm_name: " + check.Error);
            throw new NauVmFailure(NauStatusDetail.VerifyVmName(VmName));
        }

        VmRef = new XenRef<VmRecord>(check.Ref!);
        Vm = records[check.Ref!];
    }

    private async Task ProcessBackupDirAsync(CancellationToken cancellationToken)
    {
        try
        {
            VmFolder = _ctx.Root.VmFolder(VmName);
            VmFolder.EnsureExists();
            var plan = NauRetentionPlanner.PlanFailedPreviousCleanup(VmFolder.Path, VmFolder.List());
            await VmFolder.ExecuteAsync(plan, _ctx.Log, cancellationToken).ConfigureAwait(false);
            foreach (var removed in VmFolder.RemovePartialFiles(null))
            {
                _ctx.Log("Removed partial file of an interrupted run: " + removed);
            }

            Folder = VmFolder.CreateBackupFolder(_ctx.Time.GetLocalNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            _ctx.Log("ERROR process_backup_dir: " + e.Message);
            throw new NauVmFailure(NauStatusDetail.BackupDirFail(VmName));
        }

        _ctx.Log("new backup_dir: " + Folder.Path);
    }

    private async Task GatherVmMetaAsync(CancellationToken cancellationToken)
    {
        var session = _ctx.Session;
        _ctx.Log("Exporting VM metadata XML info");
        var metadataCmd = $"GET /export_metadata uuid={Vm.Uuid} | tar -xOf - ova.xml | xmllint -format - > \"{NauBackupRoot.Join(Folder.Path, NauBackupFolder.VmMetadataFileName)}\"";
        await WarningStepAsync("WARNING", metadataCmd, () => WriteVmMetadataAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        _ctx.Log("*** vm-export metadata end");

        _ctx.Log("Writing disk info");
        var namer = new NauDiskFolderNamer();
        foreach (var vbdRef in Vm.Vbds)
        {
            _ctx.Log("vbd: " + vbdRef.OpaqueRef);
            var vbd = await session.Vbd.GetRecordAsync(vbdRef, cancellationToken).ConfigureAwait(false);
            if (vbd.Type != VbdType.Disk || vbd.Vdi.IsNull)
            {
                continue;
            }

            var vdi = await session.Vdi.GetRecordAsync(vbd.Vdi, cancellationToken).ConfigureAwait(false);
            _ctx.Log($"disk: {vdi.NameLabel} - begin");
            var folderName = namer.Next(vbd.Device, vbdRef.OpaqueRef);
            var srUuid = vdi.Sr.IsNull ? string.Empty : await session.Sr.GetUuidAsync(vdi.Sr, cancellationToken).ConfigureAwait(false);
            await Folder.WriteDiskInfoAsync(
                folderName,
                new NauVbdRecord(vbd.Userdevice, vbd.Bootable, Wire(vbd.Mode), Wire(vbd.Type), vbd.Unpluggable, vbd.Empty, vbd.Uuid),
                new NauVdiRecord(vdi.NameLabel, vdi.NameDescription, vdi.VirtualSize, Wire(vdi.Type), vdi.Sharable, vdi.ReadOnly, vdi.Uuid, srUuid),
                cancellationToken).ConfigureAwait(false);
            if (string.Equals(vbd.Device, "xvda", StringComparison.Ordinal))
            {
                Xvda = vbd.Vdi;
                XvdaRecord = vdi;
            }

            ExpectedBytes += vdi.VirtualSize;
        }

        _ctx.Log("Writing VIF info");
        foreach (var vifRef in Vm.Vifs)
        {
            var vif = await session.Vif.GetRecordAsync(vifRef, cancellationToken).ConfigureAwait(false);
            _ctx.Log("Writing VIF: " + vif.Device);
            var network = vif.Network.IsNull ? string.Empty : await session.Network.GetNameLabelAsync(vif.Network, cancellationToken).ConfigureAwait(false);
            await Folder.WriteVifInfoAsync(
                new NauVifRecord(vif.Device, network, vif.Mtu, vif.Mac, [.. vif.OtherConfig], vif.Uuid),
                cancellationToken).ConfigureAwait(false);
        }

        if (namer.Warning.Length > 0)
        {
            _ctx.Log("WARNING gather_vm_meta: " + namer.Warning);
            Warn();
        }
    }

    private async Task WriteVmMetadataAsync(CancellationToken cancellationToken)
    {
        var export = await _ctx.Transfers.ExportVmMetadataAsync(VmRef, exportSnapshots: false, cancellationToken).ConfigureAwait(false);
        await using (export.ConfigureAwait(false))
        {
            var tar = new VmBackup.Formats.Tar.TarReader(export);
            using var ovaXml = new MemoryStream();
            while (await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } header)
            {
                if (header.IsRegularFile && string.Equals(header.Name, "ova.xml", StringComparison.Ordinal))
                {
                    // ova.xml is the VM's record (kilobytes), not disk data.
                    var buffer = new byte[16 * 1024];
                    int n;
                    while ((n = await tar.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        ovaXml.Write(buffer, 0, n);
                    }
                }
            }

            await export.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (ovaXml.Length == 0)
            {
                throw new InvalidDataException("the metadata export holds no ova.xml");
            }

            ovaXml.Position = 0;
            await Folder.WriteVmMetadataXmlAsync(ovaXml, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NauVmResult> FinaliseAsync(NauDataFileKind kind, long bytes, CancellationToken cancellationToken)
    {
        var minutes = NauRunText.ElapsedMinutes(_begin, _ctx.Time.GetLocalNow());
        var dataFile = Folder.DataFilePath(kind);
        var sizeGiB = NauRunText.SizeGiB(new FileInfo(dataFile).Length);
        var marker = NauRunText.ChooseMarker(sizeGiB, kind);
        await Folder.WriteSuccessMarkerAsync(marker, cancellationToken).ConfigureAwait(false);
        foreach (var line in NauRunText.MarkerLines(dataFile, sizeGiB, marker))
        {
            _ctx.Sink(line);
        }

        var plan = NauRetentionPlanner.PlanAfterSuccess(VmFolder.Path, VmFolder.List(), MaxBackups, Folder.Name);
        await VmFolder.ExecuteAsync(plan, _ctx.Log, cancellationToken).ConfigureAwait(false);
        var history = NauRetentionPlanner.CheckHistory(VmFolder.List());
        foreach (var message in history.Messages)
        {
            _ctx.Log(message);
        }

        if (!history.AllSuccessful)
        {
            Warn();
        }

        _ctx.Sink(NauRunText.ResultLine(Kind, VmName, Status, minutes));
        var detail = NauRunText.FinishedDetail(VmName, Status, minutes, sizeGiB);
        await _ctx.StatusEndAsync(Kind, detail, cancellationToken).ConfigureAwait(false);
        return new NauVmResult(Kind, VmName, Status, detail, Folder.Path, dataFile, bytes, minutes);
    }

    private async Task<NauVmResult> FailedAsync(string detail, CancellationToken cancellationToken)
    {
        Status = NauVmStatus.Error;
        await _ctx.StatusEndAsync(Kind, detail, cancellationToken).ConfigureAwait(false);
        return new NauVmResult(Kind, VmName, NauVmStatus.Error, detail, Folder?.Path, null, 0, 0);
    }

    private static string Wire(Enum value)
    {
        var field = value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return field?.GetCustomAttribute<XenApiNameAttribute>()?.Name ?? value.ToString().ToLowerInvariant();
    }
}
