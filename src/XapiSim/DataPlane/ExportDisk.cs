namespace XapiSim.DataPlane;

/// <summary>A disk to stream: its ova.xml id (or tar prefix), the VDI and its disk id in the store.</summary>
internal sealed record ExportDisk(string Id, string VdiRef, string DiskId, long Size);
