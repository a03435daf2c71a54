using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Xva;

/// <summary>A disk to write into an XVA: the VDI's ova.xml id (<c>Ref:N</c>) and its content.</summary>
public sealed record XvaDisk(string Id, IDiskSource Source);
