namespace VmBackup.Core.Metadata;

/// <summary>One dated metadata backup as listed: its folder name, date (UTC), number of VM archives and total bytes.</summary>
/// <param name="Name">The dated folder name (<c>YYYY-MM-DD-HH-MM-SS</c>).</param>
/// <param name="Date">The date of the backup (UTC).</param>
/// <param name="Vms">How many <c>.vmmeta</c> archives (VMs and custom templates) it holds.</param>
/// <param name="Bytes">The total size of its files.</param>
public sealed record MetadataSetInfo(string Name, DateTime Date, int Vms, long Bytes);
