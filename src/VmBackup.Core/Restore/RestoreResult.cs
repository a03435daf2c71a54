namespace VmBackup.Core.Restore;

/// <summary>What a restore created (it all stays on the pool).</summary>
/// <param name="VmRef">The new VM's reference; null for a disk-only restore.</param>
/// <param name="VmUuid">The new VM's uuid; null for a disk-only restore.</param>
/// <param name="VmName">The new VM's name-label; null for a disk-only restore.</param>
/// <param name="Disks">The disks created.</param>
/// <param name="NetworkInterfaces">How many VIFs the VM has.</param>
/// <param name="BytesSent">Bytes of the data file uploaded.</param>
/// <param name="Duration">Wall-clock time of the restore.</param>
/// <param name="Started">True when the VM was started.</param>
/// <param name="Notes">Things the admin should know (original replaced, disks not in a vdi-export backup, …).</param>
public sealed record RestoreResult(
    string? VmRef,
    string? VmUuid,
    string? VmName,
    IReadOnlyList<RestoredDisk> Disks,
    int NetworkInterfaces,
    long BytesSent,
    TimeSpan Duration,
    bool Started,
    IReadOnlyList<string> Notes)
{
    /// <summary>Upload speed in bytes per second (0 for an instant restore).</summary>
    public double BytesPerSecond => Duration > TimeSpan.Zero ? BytesSent / Duration.TotalSeconds : 0;
}
