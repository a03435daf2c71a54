using System.Globalization;
using VmBackup.Core.Backup;
using VmBackup.Core.Nau;

namespace VmBackup.Cli.Progress;

/// <summary>
/// Progress as log lines, for output that is not a terminal (cron, a pipe): one line when a VM's export starts, one
/// every 10% of the expected size or every 30 seconds (whichever comes first), and one at the end with the mean rate.
/// </summary>
internal sealed class PlainBackupProgress(Action<NauLogLine> log, TimeProvider time) : IBackupProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private long _start;
    private long _lastLine;
    private long _expected;
    private int _lastDecile;

    public void Started(string vmName, string kind, long? expectedBytes)
    {
        _start = _lastLine = time.GetTimestamp();
        _expected = expectedBytes ?? 0;
        _lastDecile = 0;
        log(NauLogLine.Log(_expected > 0
            ? $"progress: {vmName} {kind} started, disks {ProgressText.Bytes(_expected)}"
            : $"progress: {vmName} {kind} started"));
    }

    public void Transferred(string vmName, long bytes)
    {
        var now = time.GetTimestamp();
        var decile = _expected > 0 ? (int)Math.Min(10, bytes * 10 / _expected) : 0;
        if (decile <= _lastDecile && time.GetElapsedTime(_lastLine, now) < Interval)
        {
            return;
        }

        _lastDecile = Math.Max(decile, _lastDecile);
        _lastLine = now;
        var elapsed = time.GetElapsedTime(_start, now);
        var rate = ProgressText.Rate(bytes, elapsed);
        var text = $"progress: {vmName} {ProgressText.Bytes(bytes)}";
        if (_expected > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({Math.Min(100, bytes * 100 / _expected)}%)");
        }

        text += " " + ProgressText.BytesPerSecond(rate);
        if (_expected > bytes && rate > 0)
        {
            text += " ETA " + ProgressText.Duration(TimeSpan.FromSeconds((_expected - bytes) / rate));
        }

        log(NauLogLine.Log(text));
    }

    public void Finished(string vmName, bool success, long bytes)
    {
        var elapsed = time.GetElapsedTime(_start);
        log(NauLogLine.Log(success
            ? $"progress: {vmName} done, {ProgressText.Bytes(bytes)} in {ProgressText.Duration(elapsed)} ({ProgressText.MiBPerSecond(ProgressText.Rate(bytes, elapsed))})"
            : $"progress: {vmName} failed after {ProgressText.Bytes(bytes)}"));
    }
}
