using System.Globalization;

namespace VmBackup.Core.Nau;

/// <summary>
/// Formats <see cref="NauLogLine"/>s like v3.25's <c>log()</c>: <c>YYYY-MM-DD-(HH:MM:SS) - message</c> in local
/// time, or the bare message for raw lines. The clock is injected so output is reproducible in tests.
/// </summary>
public sealed class NauLogFormatter
{
    private readonly TimeProvider _time;

    /// <summary>Creates a formatter reading the local time from <paramref name="time"/>.</summary>
    public NauLogFormatter(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>The timestamp prefix for "now", e.g. <c>2019-06-30-(16:52:37) - </c>.</summary>
    public string Prefix() => FormatPrefix(_time.GetLocalNow());

    /// <summary>The timestamp prefix for a given moment (its own offset is used as local time).</summary>
    public static string FormatPrefix(DateTimeOffset moment) =>
        moment.ToString("yyyy-MM-dd-(HH:mm:ss) - ", CultureInfo.InvariantCulture);

    /// <summary>Formats one line as v3.25 prints it.</summary>
    public string Format(NauLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Timestamped ? Prefix() + line.Message : line.Message;
    }
}
