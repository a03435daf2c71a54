using System.Globalization;
using System.Text;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>
/// The <c>verified</c> file that <c>vmbackup verify</c> writes into a backup folder, beside <c>success</c>. NAUbackup's
/// retention never looks at it: it is a file inside the backup folder, not an entry of the VM folder, and it is not one
/// of the four success markers. The format is UTF-8 text, one <c>key=value</c> per line, <c>#</c> lines are comments,
/// unknown keys are ignored (see docs/restore.md):
/// <code>
/// format=1
/// date=2025-03-01T02:10:44.1234567+00:00
/// result=ok
/// file=DEV-1.xva
/// kind=xva
/// size=1073743872
/// mtime=2025-03-01T02:04:12.0000000+00:00
/// sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
/// bytes=1073743872
/// seconds=1.532
/// failure.1.file=DEV-1.xva
/// failure.1.offset=5243392
/// failure.1.message=checksum mismatch for chunk 'Ref:7/00000004' ...
/// </code>
/// </summary>
/// <param name="Date">When the verification finished (UTC).</param>
/// <param name="Ok">True for <c>result=ok</c>.</param>
/// <param name="DataFileName">The data file verified (null when the folder had none).</param>
/// <param name="Kind">The data file kind, as its extension without the first dot (<c>xva</c>, <c>xva.gz</c>, <c>xva.zst</c>, <c>raw</c>, <c>vhd</c>).</param>
/// <param name="DataFileSize">The data file's size when it was verified.</param>
/// <param name="DataFileModifiedUtc">The data file's modification time (UTC) when it was verified.</param>
/// <param name="Sha256">SHA-256 of the data file, when it was read to the end.</param>
/// <param name="BytesRead">Bytes of the data file read.</param>
/// <param name="Duration">Duration of the verification.</param>
/// <param name="Failures">The failures (empty for <c>result=ok</c>).</param>
public sealed record VerificationRecord(
    DateTimeOffset Date,
    bool Ok,
    string? DataFileName,
    string? Kind,
    long? DataFileSize,
    DateTimeOffset? DataFileModifiedUtc,
    string? Sha256,
    long BytesRead,
    TimeSpan Duration,
    IReadOnlyList<VerificationFailure> Failures)
{
    /// <summary>The file name, <c>verified</c>.</summary>
    public const string FileName = "verified";

    /// <summary>The format version written in <c>format=</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>The kind name of a data file kind: its extension without the first dot.</summary>
    public static string KindName(NauDataFileKind kind) => NauDataFileKinds.Extension(kind)[1..];

    /// <summary>The file's text.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append("# vmbackup verification record; NAUbackup ignores this file (see docs/restore.md)\n");
        Line(sb, "format", FormatVersion.ToString(CultureInfo.InvariantCulture));
        Line(sb, "date", Date.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Line(sb, "result", Ok ? "ok" : "failed");
        Line(sb, "file", DataFileName);
        Line(sb, "kind", Kind);
        Line(sb, "size", DataFileSize?.ToString(CultureInfo.InvariantCulture));
        Line(sb, "mtime", DataFileModifiedUtc?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Line(sb, "sha256", Sha256);
        Line(sb, "bytes", BytesRead.ToString(CultureInfo.InvariantCulture));
        Line(sb, "seconds", Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        for (var i = 0; i < Failures.Count; i++)
        {
            var prefix = "failure." + (i + 1).ToString(CultureInfo.InvariantCulture) + ".";
            var f = Failures[i];
            Line(sb, prefix + "file", f.File);
            Line(sb, prefix + "offset", f.Offset?.ToString(CultureInfo.InvariantCulture));
            Line(sb, prefix + "offset_kind", f.OffsetInDecompressedStream ? "uncompressed" : null);
            Line(sb, prefix + "message", f.Message);
        }

        return sb.ToString();
    }

    /// <summary>Parses the file's text.</summary>
    /// <exception cref="FormatException">Not a verification record (the message says which line).</exception>
    public static VerificationRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"line {lineNumber}: expected key=value");
            }

            values.TryAdd(line[..eq], line[(eq + 1)..]);
        }

        string? Get(string key) => values.TryGetValue(key, out var v) ? v : null;
        string Required(string key) => Get(key) ?? throw new FormatException($"missing '{key}='");
        long? Int(string key)
        {
            var v = Get(key);
            return v is null ? null
                : long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new FormatException($"'{key}={v}' is not a number");
        }

        DateTimeOffset? Time(string key)
        {
            var v = Get(key);
            return v is null ? null
                : DateTimeOffset.TryParseExact(v, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t
                : throw new FormatException($"'{key}={v}' is not an ISO 8601 time");
        }

        if (Required("format") != "1")
        {
            throw new FormatException($"unsupported format={Get("format")}");
        }

        var ok = Required("result") switch
        {
            "ok" => true,
            "failed" => false,
            var other => throw new FormatException($"result={other}: expected ok or failed"),
        };
        var failures = new List<VerificationFailure>();
        for (var i = 1; Get($"failure.{i}.message") is { } message; i++)
        {
            var offsetKey = $"failure.{i}.offset";
            failures.Add(new VerificationFailure(
                Get($"failure.{i}.file") ?? string.Empty,
                Int(offsetKey),
                message,
                Get($"failure.{i}.offset_kind") == "uncompressed"));
        }

        var seconds = Get("seconds");
        return new VerificationRecord(
            Time("date") ?? throw new FormatException("missing 'date='"),
            ok,
            Get("file"),
            Get("kind"),
            Int("size"),
            Time("mtime"),
            Get("sha256"),
            Int("bytes") ?? 0,
            seconds is not null && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.Zero,
            failures);
    }

    /// <summary>Reads <c>&lt;folder&gt;/verified</c>; null when it is absent or not a verification record.</summary>
    public static VerificationRecord? TryRead(string folderPath)
    {
        ArgumentNullException.ThrowIfNull(folderPath);
        var path = Path.Combine(folderPath, FileName);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 1024 * 1024)
            {
                return null;
            }

            return Parse(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The state of <paramref name="point"/> given this record: <see cref="VerificationState.Ok"/> or
    /// <see cref="VerificationState.Failed"/> when the data file is the one verified (same name, size and modification
    /// time, and not modified after the verification), else <see cref="VerificationState.Stale"/>.
    /// </summary>
    public VerificationState StateFor(NauRestorePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var data = point.DataFile;
        if (data is null && point.DataFiles.Count == 0)
        {
            return DataFileName is null ? Result : VerificationState.Stale;
        }

        if (data is null || !string.Equals(data.FileName, DataFileName, StringComparison.Ordinal) || data.Length != DataFileSize)
        {
            return VerificationState.Stale;
        }

        DateTime modified;
        try
        {
            modified = File.GetLastWriteTimeUtc(Path.Combine(point.Path, data.FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return VerificationState.Stale;
        }

        var same = DataFileModifiedUtc is { } recorded && recorded.UtcDateTime == modified && Date.UtcDateTime >= modified;
        return same ? Result : VerificationState.Stale;
    }

    private VerificationState Result => Ok ? VerificationState.Ok : VerificationState.Failed;

    private static void Line(StringBuilder sb, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        sb.Append(key).Append('=').Append(value.ReplaceLineEndings(" ")).Append('\n');
    }
}
