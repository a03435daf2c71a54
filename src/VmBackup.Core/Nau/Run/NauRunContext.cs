using VmBackup.Core.Backup;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Repository.Nau;
using VmBackup.Xapi;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Nau.Run;

/// <summary>What every per-VM job of one run shares.</summary>
internal sealed class NauRunContext
{
    public required XenApiSession Session { get; init; }

    public required XenApiTransfers Transfers { get; init; }

    public required NauBackupSettings Settings { get; init; }

    public required NauCompression Compress { get; init; }

    public required NauRunOptions Options { get; init; }

    public required NauBackupRoot Root { get; init; }

    public required NauStatusLog? StatusLog { get; init; }

    public required IBackupProgress Progress { get; init; }

    public required Action<NauLogLine> Sink { get; init; }

    public TimeProvider Time => Options.Time;

    public void Log(string message) => Sink(NauLogLine.Log(message));

    public void Raw(string message) => Sink(NauLogLine.Raw(message));

    public Task StatusBeginAsync(NauExportKind kind, string vmName, CancellationToken cancellationToken) =>
        StatusLog?.AppendVmBeginAsync(kind, vmName, cancellationToken) ?? Task.CompletedTask;

    public Task StatusEndAsync(NauExportKind kind, string detail, CancellationToken cancellationToken) =>
        StatusLog?.AppendVmEndAsync(kind, detail, cancellationToken) ?? Task.CompletedTask;
}
