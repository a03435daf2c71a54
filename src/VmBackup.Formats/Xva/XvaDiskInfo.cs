namespace VmBackup.Formats.Xva;

/// <summary>A disk found in an XVA: its ova.xml id, virtual size and VDI record.</summary>
public sealed record XvaDiskInfo(string Id, long VirtualSize, OvaObject Vdi);
