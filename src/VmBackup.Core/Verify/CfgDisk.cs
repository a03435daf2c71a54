namespace VmBackup.Core.Verify;

/// <summary>A <c>DISK-*</c> folder whose <c>vdi.cfg</c> was read: its name and the VDI's virtual size.</summary>
internal sealed record CfgDisk(string FolderName, long VirtualSize);
