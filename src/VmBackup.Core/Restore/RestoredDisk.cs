namespace VmBackup.Core.Restore;

/// <summary>A disk a restore created.</summary>
/// <param name="Device">The device it was backed up as (<c>xvda</c>, …), or its userdevice when unknown.</param>
/// <param name="UserDevice">The VBD userdevice it is attached as; null for a disk-only restore.</param>
/// <param name="VdiUuid">The new VDI's uuid.</param>
/// <param name="NameLabel">The new VDI's name-label.</param>
/// <param name="VirtualSize">Its virtual size in bytes.</param>
public sealed record RestoredDisk(string Device, string? UserDevice, string VdiUuid, string NameLabel, long VirtualSize);
