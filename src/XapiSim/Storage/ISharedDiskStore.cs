namespace XapiSim.Storage;

/// <summary>
/// A disk store that can also hold the disks of shared (replicated) SRs: each VDI is a flat sparse file
/// <c>&lt;uuid&gt;.vdi</c> plus a sidecar <c>&lt;uuid&gt;.json</c> (<see cref="SharedVdiInfo"/>) in the SR's folder,
/// which several simulated pools (processes) may use at once, like hosts of two pools seeing the same replicated LUN.
/// Such disks answer every <see cref="IDiskStore"/> call by their id; <see cref="IDiskStore.Destroy"/> deletes their
/// files, <see cref="IDisposable.Dispose"/> of the store does not.
/// </summary>
public interface ISharedDiskStore : IDiskStore
{
    /// <summary>
    /// Creates the VDI's files in <paramref name="folder"/> (created if missing) and returns its disk id. The content
    /// is zeros, or the generated content of <see cref="IDiskStore.CreateGenerated"/> when <see cref="SharedVdiInfo.Fill"/>
    /// is positive (written out: it costs the space and time of the allocated blocks).
    /// </summary>
    /// <exception cref="IOException">The VDI already exists in the folder, or the folder cannot be written.</exception>
    string CreateShared(string folder, SharedVdiInfo info);

    /// <summary>
    /// Creates the VDI's files in <paramref name="folder"/> holding the content disk <paramref name="sourceId"/> (shared
    /// or private) has now, and returns its disk id: how a snapshot or clone on a shared SR lives on the same LUN and is
    /// replicated with it. A full copy, not copy-on-write: the source's blocks holding a non-zero byte are copied
    /// through a pooled buffer, all-zero blocks stay holes; the sidecar is written after the content.
    /// </summary>
    /// <exception cref="IOException">The VDI already exists in the folder, or the folder cannot be written.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="sourceId"/> is not a disk of the store.</exception>
    string CopyToShared(string sourceId, string folder, SharedVdiInfo info);

    /// <summary>The disk id of the existing VDI <paramref name="uuid"/> of <paramref name="folder"/> (as an SR scan introduces it).</summary>
    /// <exception cref="FileNotFoundException">The folder holds no such VDI.</exception>
    string AttachShared(string folder, string uuid);

    /// <summary>Closes and forgets the shared disk <paramref name="id"/> without deleting its files (an SR forget, not a VDI destroy).</summary>
    /// <returns>False if <paramref name="id"/> is not a shared disk.</returns>
    bool ForgetShared(string id);

    /// <summary>True if <paramref name="id"/> is a disk of a shared folder.</summary>
    bool IsShared(string id);
}
