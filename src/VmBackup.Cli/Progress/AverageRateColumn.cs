using Spectre.Console;
using Spectre.Console.Rendering;

namespace VmBackup.Cli.Progress;

/// <summary>
/// The transfer rate as bytes so far over the time since the VM's transfer started: steady from the first second, and
/// the same figure as the plain <c>progress:</c> lines. Spectre's own speed column averages a few recent samples,
/// which shows odd rates for a VM of a few MB that is done in two or three samples.
/// </summary>
internal sealed class AverageRateColumn : ProgressColumn
{
    /// <summary>Below this the rate is not shown yet (too few bytes over too little time to mean anything).</summary>
    internal static readonly TimeSpan MinimumElapsed = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Text(Format((long)task.Value, task.ElapsedTime, task.IsFinished), Style.Plain).RightJustified();
    }

    /// <summary>
    /// The column's text for <paramref name="bytes"/> done in <paramref name="elapsed"/>: nothing while a transfer is
    /// younger than <see cref="MinimumElapsed"/>; a finished one shows its true average however short it was.
    /// </summary>
    internal static string Format(long bytes, TimeSpan? elapsed, bool finished)
        => elapsed is not { } time || time <= TimeSpan.Zero || (time < MinimumElapsed && !finished) ? "-" : ProgressText.MiBPerSecond(ProgressText.Rate(bytes, time));
}
