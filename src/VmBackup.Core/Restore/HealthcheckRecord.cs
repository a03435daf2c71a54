using System.Globalization;
using System.Text;

namespace VmBackup.Core.Restore;

/// <summary>
/// The <c>healthcheck</c> file <c>vmbackup healthcheck</c> writes into a backup folder, beside <c>success</c> and
/// <c>verified</c> (NAUbackup ignores it). UTF-8 <c>key=value</c> lines, <c>#</c> comments, unknown keys ignored:
/// <code>
/// format=1
/// date=2025-03-01T02:10:44.1234567+00:00
/// result=ok
/// vm=healthcheck-DEV-1-20250301-021044
/// sr=Local storage
/// bytes=1073743872
/// restore_seconds=12.5
/// boot_seconds=0.8
/// seconds=14.1
/// message=
/// </code>
/// </summary>
/// <param name="Date">When the check finished (UTC).</param>
/// <param name="Ok">True when the restored VM reached Running.</param>
/// <param name="VmName">The temporary VM's name.</param>
/// <param name="SrName">The SR restored to.</param>
/// <param name="BytesSent">Bytes uploaded.</param>
/// <param name="RestoreDuration">Time to restore.</param>
/// <param name="BootDuration">Time from <c>VM.start</c> until the pool reported Running.</param>
/// <param name="Duration">Total time, cleanup included.</param>
/// <param name="Message">Why it failed (empty when OK); may note a cleanup problem.</param>
public sealed record HealthcheckRecord(
    DateTimeOffset Date,
    bool Ok,
    string VmName,
    string SrName,
    long BytesSent,
    TimeSpan RestoreDuration,
    TimeSpan BootDuration,
    TimeSpan Duration,
    string Message)
{
    /// <summary>The file name, <c>healthcheck</c>.</summary>
    public const string FileName = "healthcheck";

    /// <summary>The file's text.</summary>
    public string Format()
    {
        var sb = new StringBuilder("# vmbackup health check record; NAUbackup ignores this file (see docs/restore.md)\n");
        sb.Append("format=1\n");
        sb.Append("date=").Append(Date.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("result=").Append(Ok ? "ok" : "failed").Append('\n');
        sb.Append("vm=").Append(OneLine(VmName)).Append('\n');
        sb.Append("sr=").Append(OneLine(SrName)).Append('\n');
        sb.Append("bytes=").Append(BytesSent.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("restore_seconds=").Append(Seconds(RestoreDuration)).Append('\n');
        sb.Append("boot_seconds=").Append(Seconds(BootDuration)).Append('\n');
        sb.Append("seconds=").Append(Seconds(Duration)).Append('\n');
        sb.Append("message=").Append(OneLine(Message)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parses the file's text; <see cref="FormatException"/> when it is not a health check record.</summary>
    public static HealthcheckRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line.StartsWith('#') || eq <= 0)
            {
                continue;
            }

            values.TryAdd(line[..eq], line[(eq + 1)..]);
        }

        string Get(string key) => values.TryGetValue(key, out var v) ? v : throw new FormatException($"missing '{key}='");
        TimeSpan Span(string key) => TimeSpan.FromSeconds(double.Parse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture));
        if (Get("format") != "1")
        {
            throw new FormatException("unsupported format=" + Get("format"));
        }

        return new HealthcheckRecord(
            DateTimeOffset.ParseExact(Get("date"), "O", CultureInfo.InvariantCulture),
            Get("result") switch { "ok" => true, "failed" => false, var r => throw new FormatException("result=" + r) },
            Get("vm"),
            Get("sr"),
            long.Parse(Get("bytes"), CultureInfo.InvariantCulture),
            Span("restore_seconds"),
            Span("boot_seconds"),
            Span("seconds"),
            Get("message"));
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
