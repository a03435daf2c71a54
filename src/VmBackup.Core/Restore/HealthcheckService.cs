using System.Globalization;
using System.Text;
using VmBackup.Repository.Nau;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Restore;

/// <summary>
/// Proves a backup restorable: restores it under <c>healthcheck-&lt;vm&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> with no network
/// interface (new identity, so it can never clash with the original), starts it, waits until the pool reports it
/// Running, then hard-shuts it down and destroys it and its disks, whatever happened. The outcome is written to the
/// backup folder's <c>healthcheck</c> file (<see cref="HealthcheckRecord"/>).
/// </summary>
/// <param name="session">A logged-in session.</param>
/// <param name="log">Receives one line per step; null for none.</param>
public sealed class HealthcheckService(XenApiSession session, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>Checks the backup in <paramref name="folder"/>. Never throws for a failed check: the record says why.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (after removing what was created; no record is written).</exception>
    public async Task<HealthcheckRecord> CheckAsync(string folder, HealthcheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        var clock = options.TimeProvider;
        var started = clock.GetTimestamp();
        var vmName = "healthcheck-" + VmNameOf(folder) + "-" + clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var srName = options.Sr ?? "(default SR)";
        var restoreTime = TimeSpan.Zero;
        var bootTime = TimeSpan.Zero;
        long bytes = 0;
        string message;
        var ok = false;
        var ledger = new CreatedObjects();
        try
        {
            var source = await RestoreSourceReader.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
            var restoreOptions = new RestoreOptions { Sr = options.Sr, NewName = vmName, WithoutNetworks = true, TimeProvider = clock, Transfers = options.Transfers };
            var restored = await new RestoreService(session, _log).RestoreAsync(source, restoreOptions, null, cancellationToken).ConfigureAwait(false);
            var vm = new XenRef<VmRecord>(restored.VmRef!);
            ledger.Add(vm);
            bytes = restored.BytesSent;
            restoreTime = restored.Duration;
            _log($"starting '{vmName}' ({restored.VmUuid}) with networks disconnected");
            var booting = clock.GetTimestamp();
            await session.Vm.StartAsync(vm, false, false, cancellationToken).ConfigureAwait(false);
            var state = await WaitForRunningAsync(vm, options, cancellationToken).ConfigureAwait(false);
            bootTime = clock.GetElapsedTime(booting);
            ok = state == VmPowerState.Running;
            message = ok ? string.Empty : $"the VM did not reach Running within {options.BootTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s (it is {state})";
            _log(ok ? $"'{vmName}' is Running after {bootTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : message);
        }
        catch (RestoreRefusedException e)
        {
            message = e.Message;
        }
        catch (XenApiException e)
        {
            message = $"XAPI {e.ErrorCode} [{string.Join(", ", e.ErrorParameters)}]";
        }
        catch (XenApiConnectionException e)
        {
            message = e.Message;
        }
        finally
        {
            if (ledger.Objects.Count > 0)
            {
                _log($"destroying '{vmName}' and its disks");
            }

            var failures = await ledger.RollbackAsync(session, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            if (failures.Count > 0)
            {
                _log("cleanup failed: " + string.Join("; ", failures));
            }
        }

        var record = new HealthcheckRecord(clock.GetUtcNow(), ok, vmName, srName, bytes, restoreTime, bootTime, clock.GetElapsedTime(started), message);
        if (options.WriteRecord && Directory.Exists(folder))
        {
            await WriteRecordAsync(folder, record, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    private async Task<VmPowerState> WaitForRunningAsync(XenRef<VmRecord> vm, HealthcheckOptions options, CancellationToken cancellationToken)
    {
        var clock = options.TimeProvider;
        var begin = clock.GetTimestamp();
        while (true)
        {
            var state = await session.Vm.GetPowerStateAsync(vm, cancellationToken).ConfigureAwait(false);
            if (state == VmPowerState.Running || clock.GetElapsedTime(begin) >= options.BootTimeout)
            {
                return state;
            }

            await Task.Delay(options.PollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string VmNameOf(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return Path.GetFileName(Path.GetDirectoryName(full) ?? full).Replace("%2F", "/", StringComparison.Ordinal);
    }

    private async Task WriteRecordAsync(string folder, HealthcheckRecord record, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, HealthcheckRecord.FileName);
        var partial = path + NauBackupFolder.PartialSuffix;
        try
        {
            await File.WriteAllTextAsync(partial, record.Format(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"{path} could not be written: {e.Message}");
        }
    }
}
