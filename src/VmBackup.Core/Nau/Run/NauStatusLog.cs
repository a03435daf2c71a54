using System.Text;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// Appends v3.25's status-log records to <c>status_log</c> (config mode only; CLI mode writes none). Each record is
/// appended and flushed on its own, like v3.25's unbuffered <c>open(…, 'a', 0)</c>, so a killed run leaves every
/// record written so far. The file is created if missing; its folder must exist.
/// </summary>
public sealed class NauStatusLog
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly TimeProvider _time;

    /// <summary>Creates a writer for <paramref name="path"/>, stamping records with local time from <paramref name="time"/>.</summary>
    public NauStatusLog(string path, string shortHost, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shortHost);
        ArgumentNullException.ThrowIfNull(time);
        Path = path;
        ShortHost = shortHost;
        _time = time;
    }

    /// <summary>The status-log file.</summary>
    public string Path { get; }

    /// <summary>The short host name written in every record.</summary>
    public string ShortHost { get; }

    /// <summary><c>…,vmbackup.py,&lt;host&gt;,begin</c>.</summary>
    public Task AppendRunBeginAsync(CancellationToken cancellationToken) =>
        AppendAsync(NauStatusLogRecord.RunComponent, begin: true, detail: null, cancellationToken);

    /// <summary><c>…,vmbackup.py,&lt;host&gt;,end,&lt;ERROR|WARNING|SUCCESS&gt;,S:x W:y E:z</c>.</summary>
    public Task AppendRunEndAsync(NauRunTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return AppendAsync(NauStatusLogRecord.RunComponent, begin: false, tally.StatusLogEndDetail, cancellationToken);
    }

    /// <summary><c>…,vm-export,&lt;host&gt;,begin,&lt;vm&gt;</c> (or <c>vdi-export</c>).</summary>
    public Task AppendVmBeginAsync(NauExportKind kind, string vmName, CancellationToken cancellationToken) =>
        AppendAsync(kind.Name(), begin: true, vmName, cancellationToken);

    /// <summary><c>…,vm-export,&lt;host&gt;,end,&lt;detail&gt;</c>; the detail comes from <see cref="NauRunText.FinishedDetail"/> or <see cref="NauStatusDetail"/>.</summary>
    public Task AppendVmEndAsync(NauExportKind kind, string detail, CancellationToken cancellationToken) =>
        AppendAsync(kind.Name(), begin: false, detail, cancellationToken);

    private async Task AppendAsync(string component, bool begin, string? detail, CancellationToken cancellationToken)
    {
        var record = NauStatusLogRecord.Format(_time.GetLocalNow(), component, ShortHost, begin, detail);
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Utf8.GetBytes(record), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
