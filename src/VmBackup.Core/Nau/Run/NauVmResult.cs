namespace VmBackup.Core.Nau.Run;

/// <summary>The outcome of one VM of a run.</summary>
/// <param name="Kind">vm-export or vdi-export.</param>
/// <param name="VmName">The VM's name-label.</param>
/// <param name="Status">Success, warning or error (counted once in the tally).</param>
/// <param name="StatusDetail">The status-log end detail, e.g. <c>SUCCESS PROD-web,elapse:3 size:12G</c> or <c>VM-EXPORT-FAIL PROD-web</c>.</param>
/// <param name="BackupFolder">The backup folder of this run, when one was created.</param>
/// <param name="DataFile">The committed data file, on success.</param>
/// <param name="Bytes">Bytes written to the data file.</param>
/// <param name="ElapsedMinutes">Whole minutes the VM took (on success).</param>
public sealed record NauVmResult(
    NauExportKind Kind,
    string VmName,
    NauVmStatus Status,
    string StatusDetail,
    string? BackupFolder,
    string? DataFile,
    long Bytes,
    long ElapsedMinutes);
