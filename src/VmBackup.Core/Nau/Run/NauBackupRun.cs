using System.Globalization;
using VmBackup.Core.Backup;
using VmBackup.Core.Nau.Preview;
using VmBackup.Core.PoolDb;
using VmBackup.Repository.Nau;
using VmBackup.Xapi;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// The NAUbackup backup run (v3.25's <c>main()</c> after the parameter check, behaviour spec §5-§8): status-log begin,
/// writability test, free space, pool database dump, the vdi-export then vm-export lists in list order, the summary,
/// the status-log end record and the report hook. Deviations are in docs/naubackup-compatibility.md.
/// </summary>
public static class NauBackupRun
{
    /// <summary>The file v3.25 touches to test that <c>backup_dir</c> is writable.</summary>
    public const string WriteTestFileName = "00VMbackupWriteTest";

    /// <summary>
    /// Runs the backups of an evaluation that may proceed (<see cref="NauEvaluation.ProceedToBackup"/>).
    /// Per-VM failures are counted and the run goes on; a lost session stops it (exit 2).
    /// </summary>
    /// <param name="session">A session logged in to the pool master.</param>
    /// <param name="evaluation">The evaluated command line and config.</param>
    /// <param name="options">Run options (pre_clean, clock, host name, report hook).</param>
    /// <param name="progress">Receives per-VM transfer progress.</param>
    /// <param name="log">Receives every console line, in order (format with <see cref="NauLogFormatter"/>).</param>
    /// <param name="cancellationToken">Stops the run; the current snapshot is still removed and no folder looks successful.</param>
    /// <returns>The result; <see cref="NauRunResult.ExitCode"/> is the process exit status.</returns>
    public static async Task<NauRunResult> RunAsync(
        XenApiSession session,
        NauEvaluation evaluation,
        NauRunOptions options,
        IBackupProgress progress,
        Action<NauLogLine> log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(log);
        if (!evaluation.ProceedToBackup || evaluation.Settings is null || evaluation.Selection is null)
        {
            throw new ArgumentException("The evaluation does not proceed to a backup.", nameof(evaluation));
        }

        var settings = evaluation.Settings;
        var fullHost = options.HostName ?? await MasterHostNameAsync(session, cancellationToken).ConfigureAwait(false);
        var shortHost = NauRunText.ShortHostName(fullHost);
        var statusLog = evaluation.ConfigMode ? new NauStatusLog(settings.StatusLog, shortHost, options.Time) : null;
        var ctx = new NauRunContext
        {
            Session = session,
            Transfers = new XenApiTransfers(session, options.Transfers),
            Settings = settings,
            Compress = evaluation.Compress,
            Options = options,
            Root = new NauBackupRoot(settings.BackupDir),
            StatusLog = statusLog,
            Progress = progress,
            Sink = log,
        };
        var tally = new NauRunTally();
        var results = new List<NauVmResult>();
        NauRunResult Result(int exitCode, string? abort = null) => new()
        {
            ExitCode = exitCode,
            Tally = tally,
            VmResults = results,
            StatusLogPath = statusLog?.Path,
            FullHostName = fullHost,
            ConfigMode = evaluation.ConfigMode,
            AbortReason = abort,
            BackupDir = settings.BackupDir,
        };

        if (statusLog is not null)
        {
            try
            {
                await statusLog.AppendRunBeginAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ctx.Log($"ERROR cannot write to the status log {statusLog.Path}: {e.Message} - FATAL ERROR");
                return Result(NauExitCode.UsageOrConfigError);
            }
        }

        ctx.Log("===========================");
        ctx.Log($"VmBackup running on {shortHost} ...");
        ctx.Log($"Check if backup directory {settings.BackupDir} is writable ...");
        var testFile = NauBackupRoot.Join(settings.BackupDir, WriteTestFileName);
        if (TryWriteTest(testFile) is { } writeError)
        {
            ctx.Log($"ERROR for cmd touch \"{testFile}\"");
            ctx.Raw(writeError);
            ctx.Log("ERROR failed to write to backup directory area - FATAL ERROR");
            return Result(NauExitCode.UsageOrConfigError);
        }

        ctx.Log("Success: backup directory area is writable");
        LogSpace(ctx, "Space before backups: ", settings.BackupDir);

        string? abortReason = null;
        try
        {
            if (settings.PoolDbBackup)
            {
                await BackupPoolMetadataAsync(ctx, shortHost, tally, cancellationToken).ConfigureAwait(false);
            }

            ctx.Log("************ vdi-export= ***************");
            foreach (var entry in evaluation.Selection.VdiExport)
            {
                var result = await new NauVmJob(ctx, NauExportKind.VdiExport, entry).RunAsync(NauVdiExportJob.ExportAsync, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                tally.Record(result.Status);
            }

            ctx.Log("************ vm-export= ***************");
            foreach (var entry in evaluation.Selection.VmExport)
            {
                var result = await new NauVmJob(ctx, NauExportKind.VmExport, entry).RunAsync(NauVmExportJob.ExportAsync, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                tally.Record(result.Status);
            }
        }
        catch (NauSessionLostException lost)
        {
            tally.Record(NauVmStatus.Error);
            abortReason = "the connection to the pool was lost: " + lost.Message;
            ctx.Log("ERROR " + abortReason + " - stopping the run (remaining VMs not backed up)");
        }

        LogSpace(ctx, "Space status: ", settings.BackupDir);
        ctx.Sink(tally.EndLine);
        if (statusLog is not null)
        {
            await statusLog.AppendRunEndAsync(tally, cancellationToken).ConfigureAwait(false);
        }

        var final = Result(abortReason is null ? tally.ExitCode : NauExitCode.RunFinishedWithFailures, abortReason);
        if (options.ReportSender is { } sender)
        {
            try
            {
                await sender.SendAsync(final, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ctx.Log("WARNING report not sent: " + e.Message);
            }
        }

        return final;
    }

    /// <summary>The master's host name: <c>hostname</c>, else <c>name_label</c>.</summary>
    public static async Task<string> MasterHostNameAsync(XenApiSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var pools = await session.Pool.GetAllAsync(cancellationToken).ConfigureAwait(false);
        if (pools.Count == 0)
        {
            return "localhost";
        }

        var master = await session.Pool.GetMasterAsync(pools[0], cancellationToken).ConfigureAwait(false);
        var host = await session.Host.GetRecordAsync(master, cancellationToken).ConfigureAwait(false);
        return host.Hostname.Length > 0 ? host.Hostname : host.NameLabel;
    }

    private static string? TryWriteTest(string path)
    {
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// v3.25 logs <c>df -Th &lt;dir&gt;</c>; VmBackup logs the same figures for the file system holding the directory,
    /// from <see cref="DriveInfo"/>: <c>&lt;header&gt;&lt;dir&gt;</c> then <c>&lt;mount&gt; &lt;type&gt; size:… used:… avail:… use:…%</c>.
    /// </summary>
    private static void LogSpace(NauRunContext ctx, string header, string dir)
    {
        ctx.Log(header + dir);
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(dir));
            var size = drive.TotalSize;
            var avail = drive.AvailableFreeSpace;
            var used = size - drive.TotalFreeSpace;
            var percent = size > 0 ? (int)Math.Ceiling(used * 100.0 / size) : 0;
            ctx.Raw(string.Create(CultureInfo.InvariantCulture, $"{drive.Name} {drive.DriveFormat} size:{Human(size)} used:{Human(used)} avail:{Human(avail)} use:{percent}%"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ctx.Raw("free space unknown: " + e.Message);
        }
    }

    private static string Human(long bytes)
    {
        string[] units = ["B", "K", "M", "G", "T", "P"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(unit == 0 || value >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + units[unit];
    }

    private static async Task BackupPoolMetadataAsync(NauRunContext ctx, string shortHost, NauRunTally tally, CancellationToken cancellationToken)
    {
        // The session follows HOST_IS_SLAVE to the master, so v3.25's "** ignore: NOT master" cannot happen.
        ctx.Log("*** begin backup_pool_metadata ***");
        var now = ctx.Time.GetLocalNow();
        var path = ctx.Root.PoolDumpPath(shortHost, now);
        ctx.Log($"cmd: GET /pool/xmldbdump file-name='{path}'");
        try
        {
            var output = await ctx.Root.OpenPoolDumpForWriteAsync(shortHost, now, cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                // The same dump as vmbackup pool-db backup (unencrypted here, NAUbackup's path and name).
                await new PoolDatabaseBackup(ctx.Transfers).WriteAsync(output, null, cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or IOException or UnauthorizedAccessException)
        {
            ctx.Log("ERROR failed to backup pool metadata");
            ctx.Log("ERROR reason: " + e.Message);
            tally.RecordPoolDumpFailure();
        }
    }
}
