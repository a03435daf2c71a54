namespace VmBackup.Xapi.Transfers;

/// <summary>Reports a growing byte count to an <see cref="IProgress{T}"/> at most once per interval, and the final count once.</summary>
internal sealed class ProgressThrottle(IProgress<long>? progress, long interval)
{
    private readonly long _interval = Math.Max(1, interval);
    private long _last;

    public void Report(long total)
    {
        if (progress is not null && total - _last >= _interval)
        {
            _last = total;
            progress.Report(total);
        }
    }

    public void Finish(long total)
    {
        if (progress is not null && total != _last)
        {
            _last = total;
            progress.Report(total);
        }
    }
}
