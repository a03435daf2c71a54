using Spectre.Console;
using Spectre.Console.Rendering;

namespace VmBackup.Cli.Progress;

/// <summary>
/// Bytes transferred (and expected, while running) in binary units, like the rate column and the plain
/// <c>progress:</c> lines (Spectre's own column counts in decimal megabytes).
/// </summary>
internal sealed class TransferredColumn : ProgressColumn
{
    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Text(Format((long)task.Value, (long)task.MaxValue, task.IsFinished || task.IsIndeterminate), Style.Plain).RightJustified();
    }

    /// <summary>The column's text: "done/expected" while running, "done" once finished or when the size is unknown.</summary>
    internal static string Format(long done, long expected, bool doneOnly)
        => doneOnly ? ProgressText.Bytes(done) : $"{ProgressText.Bytes(done)}/{ProgressText.Bytes(expected)}";
}
