using System.Globalization;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Nau.Run;

/// <summary>
/// v3.25's per-VM and end-of-run texts (console lines and status-log details) and the number rules behind them
/// (section 5.4 and 8 of the behaviour spec). Pure functions.
/// </summary>
public static class NauRunText
{
    /// <summary>Data files larger than this many GiB get <c>success_compress</c> (v3.25's <c>&gt; 60</c> rule).</summary>
    public const long LargeFileGiB = 60;

    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>The name v3.25 uses in log lines and status records: <c>vm-export</c> or <c>vdi-export</c>.</summary>
    public static string Name(this NauExportKind kind) => kind switch
    {
        NauExportKind.VmExport => "vm-export",
        NauExportKind.VdiExport => "vdi-export",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown export kind"),
    };

    /// <summary>v3.25's <c>server_name</c>: the host name up to the first <c>.</c>.</summary>
    public static string ShortHostName(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var dot = hostName.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? hostName : hostName[..dot];
    }

    /// <summary>
    /// Elapsed whole minutes between <paramref name="begin"/> and <paramref name="end"/>, rounded down. v3.25 uses
    /// <c>timedelta.seconds / 60</c>, which drops whole days (a 25-hour export shows <c>t:60</c>); VmBackup counts the
    /// days too. A negative interval (clock set back) gives 0.
    /// </summary>
    public static long ElapsedMinutes(DateTimeOffset begin, DateTimeOffset end)
    {
        var seconds = (long)Math.Floor((end - begin).TotalSeconds);
        return seconds <= 0 ? 0 : seconds / 60;
    }

    /// <summary>The size in whole GiB, rounded down (v3.25's <c>getsize / (1024*1024*1024)</c>).</summary>
    public static long SizeGiB(long bytes) => bytes <= 0 ? 0 : bytes / GiB;

    /// <summary>
    /// The marker for a finished data file: <c>success_compress</c> when it is larger than 60 GiB and not already
    /// compressed (NAU's server-side compressor picks those up), otherwise <c>success</c>. v3.25 also marks a
    /// <c>.xva.gz</c> over 60 GiB <c>success_compress</c>; compressing it again gains nothing, so VmBackup does not.
    /// </summary>
    public static NauSuccessMarker ChooseMarker(long sizeGiB, NauDataFileKind kind) =>
        sizeGiB > LargeFileGiB && !NauDataFileKinds.IsCompressed(kind) ? NauSuccessMarker.SuccessCompress : NauSuccessMarker.Success;

    /// <summary>
    /// The console lines of v3.25's <c>final_cleanup</c> for the marker chosen: <c>*** LARGE FILE &gt; 60G: &lt;file&gt; : &lt;n&gt;G</c>
    /// and <c>*** success_compress: &lt;file&gt; : &lt;n&gt;G</c>, or <c>*** success: &lt;file&gt; : &lt;n&gt;G</c>.
    /// </summary>
    public static IReadOnlyList<NauLogLine> MarkerLines(string dataFilePath, long sizeGiB, NauSuccessMarker marker) =>
        marker == NauSuccessMarker.SuccessCompress
            ? [NauLogLine.Log(Invariant($"*** LARGE FILE > 60G: {dataFilePath} : {sizeGiB}G")), NauLogLine.Log(Invariant($"*** success_compress: {dataFilePath} : {sizeGiB}G"))]
            : [NauLogLine.Log(Invariant($"*** success: {dataFilePath} : {sizeGiB}G"))];

    /// <summary>
    /// The console result line after a backup: <c>VmBackup vm-export &lt;vm&gt; - ***Success*** t:&lt;min&gt;</c> or
    /// <c>… - ***WARNING*** t:&lt;min&gt;</c>. Errors have no result line in v3.25.
    /// </summary>
    public static NauLogLine ResultLine(NauExportKind kind, string vmName, NauVmStatus status, long minutes) => status switch
    {
        NauVmStatus.Success => NauLogLine.Log(Invariant($"VmBackup {kind.Name()} {vmName} - ***Success*** t:{minutes}")),
        NauVmStatus.Warning => NauLogLine.Log(Invariant($"VmBackup {kind.Name()} {vmName} - ***WARNING*** t:{minutes}")),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "an error has no result line"),
    };

    /// <summary>The status-log detail of a finished backup: <c>SUCCESS &lt;vm&gt;,elapse:&lt;m&gt; size:&lt;g&gt;G</c> or <c>WARNING …</c>.</summary>
    public static string FinishedDetail(string vmName, NauVmStatus status, long minutes, long sizeGiB) => status switch
    {
        NauVmStatus.Success => Invariant($"SUCCESS {vmName},elapse:{minutes} size:{sizeGiB}G"),
        NauVmStatus.Warning => Invariant($"WARNING {vmName},elapse:{minutes} size:{sizeGiB}G"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "use NauStatusDetail for errors"),
    };

    /// <summary>The <c>S:x W:y E:z</c> summary.</summary>
    public static string Summary(int successes, int warnings, int errors) => Invariant($"S:{successes} W:{warnings} E:{errors}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
