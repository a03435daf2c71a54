namespace VmBackup.Core.Backup;

/// <summary>
/// Receives the progress of a backup run, one VM at a time: started, bytes written so far, finished. The engine never
/// prints progress itself; the CLI renders it (a live display on a terminal, log lines otherwise). Calls come from the
/// task running the export, never concurrently for one VM.
/// </summary>
public interface IBackupProgress
{
    /// <summary>A VM's data export starts.</summary>
    /// <param name="vmName">The VM's name-label.</param>
    /// <param name="kind">What is exported, e.g. <c>vm-export</c>.</param>
    /// <param name="expectedBytes">The expected size (sum of the disks' virtual sizes) when known; exports of sparse disks are smaller.</param>
    void Started(string vmName, string kind, long? expectedBytes);

    /// <summary>Bytes written to the data file so far (monotonic, throttled by the engine to a few updates a second).</summary>
    void Transferred(string vmName, long bytes);

    /// <summary>The VM's export ended, successfully or not.</summary>
    void Finished(string vmName, bool success, long bytes);
}
