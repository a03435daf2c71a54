namespace VmBackup.TestKit;

/// <summary>
/// A clock on which sleeping costs no real time: a timer with a finite due time (<c>Task.Delay</c>, a
/// <see cref="CancellationTokenSource"/> timeout) moves this clock forward by that due time and fires at once. Otherwise
/// it runs with the system clock, so <see cref="GetTimestamp"/> and <see cref="GetUtcNow"/> are the system's plus every
/// jump so far. Give it to <see cref="SimulatorFixture.StartAsync"/> to make stall faults of many seconds look real to the
/// simulator (keep-alives, progress intervals) while the test runs in milliseconds. Thread-safe.
/// </summary>
public sealed class SleeplessTimeProvider : TimeProvider
{
    private long _skewTicks;

    /// <summary>The sum of every jump so far.</summary>
    public TimeSpan Skew => TimeSpan.FromTicks(Interlocked.Read(ref _skewTicks));

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _skewTicks, by.Ticks);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Skew;

    /// <inheritdoc/>
    public override long GetTimestamp()
        => TimeProvider.System.GetTimestamp() + (long)(Skew.Ticks * ((double)TimeProvider.System.TimestampFrequency / TimeSpan.TicksPerSecond));

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeProvider.System.TimestampFrequency;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new JumpingTimer(this, TimeProvider.System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>A system timer whose due time is spent by jumping the clock instead of waiting.</summary>
    private sealed class JumpingTimer(SleeplessTimeProvider clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return inner.Change(dueTime, period);
            }

            clock.Advance(dueTime);
            return inner.Change(TimeSpan.Zero, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
