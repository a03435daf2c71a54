using VmBackup.Formats.Xva;
using VmBackup.Repository.Nau;

namespace VmBackup.Core.Restore;

/// <summary>
/// A backup folder that passed the checks made before anything is created on the pool
/// (<see cref="RestoreSourceReader.LoadAsync"/>): success marker, one data file, every cfg file, the data file's
/// structure where it can be checked cheaply.
/// </summary>
/// <param name="FolderPath">The backup folder.</param>
/// <param name="VmName">The VM's name-label (from the VM folder name).</param>
/// <param name="BackupName">The backup folder name (<c>backup-YYYY-MM-DD-(HH:MM:SS)</c>).</param>
/// <param name="Kind">The data file kind.</param>
/// <param name="DataFilePath">The data file.</param>
/// <param name="DataFileLength">Its length in bytes.</param>
/// <param name="Disks">The <c>DISK-*</c> folders, by userdevice.</param>
/// <param name="NetworkInterfaces">The <c>VIFs/vif-*.cfg</c> files, by device.</param>
/// <param name="VmMetadata"><c>vm-metadata.xml</c> (the VM's ova.xml), or null when absent or empty (before v3.22).</param>
/// <param name="XvaMetadata">The ova.xml inside an XVA data file; null for raw/VHD.</param>
public sealed record RestoreSource(
    string FolderPath,
    string VmName,
    string BackupName,
    NauDataFileKind Kind,
    string DataFilePath,
    long DataFileLength,
    IReadOnlyList<RestoreDisk> Disks,
    IReadOnlyList<RestoreNetworkInterface> NetworkInterfaces,
    OvaXml? VmMetadata,
    OvaXml? XvaMetadata)
{
    /// <summary>True for an XVA (vm-export) backup, plain or compressed.</summary>
    public bool IsXva => Kind is NauDataFileKind.Xva or NauDataFileKind.XvaGzip or NauDataFileKind.XvaZstd;

    /// <summary>The disk a raw/VHD data file holds: <c>DISK-xvda</c> (vdi-export backs up xvda only).</summary>
    public RestoreDisk? Xvda => Disks.FirstOrDefault(d => d.FolderName == "DISK-xvda");

    /// <summary>The uuid of the backed-up VM from <c>vm-metadata.xml</c>, when known.</summary>
    public string? OriginalVmUuid => VmMetadata?.Vm?.GetString("uuid");
}
