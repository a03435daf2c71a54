using System.Globalization;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// One status-log record: <c>YYYY/MM/DD HH:MM:SS,&lt;component&gt;,&lt;shorthost&gt;,&lt;begin|end&gt;[,&lt;detail&gt;]</c>
/// followed by a newline. The component of the run records stays <c>vmbackup.py</c> so that scripts parsing
/// the log keep working.
/// </summary>
public static class NauStatusLogRecord
{
    /// <summary>The component of the run's own begin/end records.</summary>
    public const string RunComponent = "vmbackup.py";

    /// <summary>Formats a record for a local time (its wall-clock fields are used).</summary>
    public static string Format(DateTimeOffset localTime, string component, string shortHost, bool begin, string? detail)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(shortHost);
        var time = localTime.ToString("yyyy'/'MM'/'dd HH':'mm':'ss", CultureInfo.InvariantCulture);
        var record = $"{time},{component},{shortHost},{(begin ? "begin" : "end")}";
        return detail is null ? record + "\n" : record + "," + detail + "\n";
    }
}
