namespace XapiSim.Storage;

/// <summary>
/// The top of a disk's layer chain (null for a disk that reads as all zeros without any layer). When
/// <paramref name="TopIsPrivate"/> the top is this disk's own writable <see cref="FileLayer"/>; otherwise the top is
/// shared (frozen) and the first write puts a new private layer over it.
/// </summary>
internal sealed record DiskHead(DiskLayer? Top, bool TopIsPrivate);
