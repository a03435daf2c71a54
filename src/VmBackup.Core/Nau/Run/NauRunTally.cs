namespace VmBackup.Core.Nau.Run;

/// <summary>
/// The S/W/E counts of a run and what follows from them: the overall status, the status-log end detail, the console
/// end line and the exit status. Each VM adds exactly one; a failed pool database dump adds one error.
/// </summary>
public sealed class NauRunTally
{
    /// <summary>Successful VMs.</summary>
    public int Successes { get; private set; }

    /// <summary>VMs with warnings.</summary>
    public int Warnings { get; private set; }

    /// <summary>Failed VMs plus a failed pool database dump.</summary>
    public int Errors { get; private set; }

    /// <summary>ERROR if any error, else WARNING if any warning, else SUCCESS.</summary>
    public NauVmStatus Overall => Errors > 0 ? NauVmStatus.Error : Warnings > 0 ? NauVmStatus.Warning : NauVmStatus.Success;

    /// <summary><c>S:x W:y E:z</c>.</summary>
    public string Summary => NauRunText.Summary(Successes, Warnings, Errors);

    /// <summary>Counts one VM.</summary>
    public void Record(NauVmStatus status)
    {
        switch (status)
        {
            case NauVmStatus.Success: Successes++; break;
            case NauVmStatus.Warning: Warnings++; break;
            case NauVmStatus.Error: Errors++; break;
            default: throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status");
        }
    }

    /// <summary>Counts a failed pool database dump (one error, no status-log record of its own).</summary>
    public void RecordPoolDumpFailure() => Errors++;

    /// <summary>The detail of the final <c>vmbackup.py</c> end record: <c>ERROR,S:x W:y E:z</c>, <c>WARNING,…</c> or <c>SUCCESS,…</c>.</summary>
    public string StatusLogEndDetail => Overall switch
    {
        NauVmStatus.Error => "ERROR," + Summary,
        NauVmStatus.Warning => "WARNING," + Summary,
        _ => "SUCCESS," + Summary,
    };

    /// <summary>
    /// The last console line: <c>VmBackup ended - **ERRORS DETECTED** - S:x W:y E:z</c>,
    /// <c>VmBackup ended - **WARNING(s)** - …</c> or <c>VmBackup ended - Success - …</c>.
    /// </summary>
    public NauLogLine EndLine => NauLogLine.Log(Overall switch
    {
        NauVmStatus.Error => "VmBackup ended - **ERRORS DETECTED** - " + Summary,
        NauVmStatus.Warning => "VmBackup ended - **WARNING(s)** - " + Summary,
        _ => "VmBackup ended - Success - " + Summary,
    });

    /// <summary>
    /// The e-mail subject v3.25 would use: <c>ERROR &lt;full host&gt; VmBackup.py</c>, <c>WARNING …</c> or <c>Success …</c>.
    /// </summary>
    public string MailSubject(string fullHostName) => Overall switch
    {
        NauVmStatus.Error => $"ERROR {fullHostName} VmBackup.py",
        NauVmStatus.Warning => $"WARNING {fullHostName} VmBackup.py",
        _ => $"Success {fullHostName} VmBackup.py",
    };

    /// <summary>
    /// The exit status of a run that got to its end: <see cref="NauExitCode.RunFinishedWithFailures"/> (2) when any
    /// error was counted, else 0. v3.25 exits 0 even then (deviation D2). Warnings alone exit 0.
    /// </summary>
    public int ExitCode => Errors > 0 ? NauExitCode.RunFinishedWithFailures : NauExitCode.Success;
}
