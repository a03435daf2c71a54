using Microsoft.Win32.SafeHandles;

namespace XapiSim.Storage;

/// <summary>
/// A disk of a shared SR: one flat sparse file holding the whole virtual disk (no copy-on-write chain), opened for
/// positional reads and writes shared with other processes (as two hosts see the same LUN).
/// </summary>
internal sealed class SharedDisk : IDisposable
{
    public SharedDisk(string id, string folder, string uuid, long virtualSize)
    {
        Id = id;
        Folder = folder;
        Uuid = uuid;
        VirtualSize = virtualSize;
        Handle = File.OpenHandle(SharedVdiInfo.DataPath(folder, uuid), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Id { get; }

    public string Folder { get; }

    public string Uuid { get; }

    public long VirtualSize { get; }

    public SafeFileHandle Handle { get; }

    public void Dispose() => Handle.Dispose();
}
