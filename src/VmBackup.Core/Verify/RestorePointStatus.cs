using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>One restore point as <c>vmbackup list</c> shows it: the folder's state and its verification state.</summary>
/// <param name="VmFolderName">The VM folder name (the VM's name-label, <c>/</c> written as <c>%2F</c>).</param>
/// <param name="Point">The backup folder: time, markers, data file.</param>
/// <param name="Verification">The verification state from the <c>verified</c> file, without re-reading the data.</param>
/// <param name="Record">The <c>verified</c> file, when it exists and parses.</param>
public sealed record RestorePointStatus(string VmFolderName, NauRestorePoint Point, VerificationState Verification, VerificationRecord? Record);
