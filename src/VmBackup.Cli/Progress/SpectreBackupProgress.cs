using Spectre.Console;
using VmBackup.Core.Backup;

namespace VmBackup.Cli.Progress;

/// <summary>
/// Progress on a terminal: one Spectre.Console progress bar per VM with bytes, average rate (<see cref="AverageRateColumn"/>) and ETA. Create it inside
/// <c>Progress().StartAsync</c>; log lines written through the same console appear above the bars.
/// </summary>
internal sealed class SpectreBackupProgress(ProgressContext context) : IBackupProgress
{
    private ProgressTask? _task;

    /// <summary>The progress display with the columns this renderer needs.</summary>
    public static Spectre.Console.Progress Create(IAnsiConsole console) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new TransferredColumn(),
                new AverageRateColumn(),
                new RemainingTimeColumn());

    public void Started(string vmName, string kind, long? expectedBytes)
    {
        _task = context.AddTask(Markup.Escape($"{kind} {vmName}"), autoStart: true, maxValue: expectedBytes is > 0 ? expectedBytes.Value : 1);
        if (expectedBytes is not > 0)
        {
            _task.IsIndeterminate = true;
        }
    }

    public void Transferred(string vmName, long bytes)
    {
        if (_task is null)
        {
            return;
        }

        if (bytes > _task.MaxValue)
        {
            _task.MaxValue = bytes;
        }

        _task.Value = bytes;
    }

    public void Finished(string vmName, bool success, long bytes)
    {
        if (_task is null)
        {
            return;
        }

        // The export of a sparse disk is smaller than its virtual size: the bar ends at what was written.
        _task.MaxValue = Math.Max(1, bytes);
        _task.Value = bytes;
        if (!success)
        {
            _task.Description += " [red]failed[/]";
        }

        _task.StopTask();
        _task = null;
    }
}
