using System.Collections.Concurrent;

namespace VmBackup.Core.Tests.Reporting;

/// <summary>
/// The system clock, except that timers due after exactly <see cref="Shortened"/> fire at once: records every timer's
/// due time so a test can see the sender's retry delays without waiting for them.
/// </summary>
internal sealed class DelayRecordingTimeProvider(TimeSpan shortened) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public TimeSpan Shortened { get; } = shortened;

    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return System.CreateTimer(callback, state, dueTime == Shortened ? TimeSpan.FromMilliseconds(1) : dueTime, period);
    }
}
