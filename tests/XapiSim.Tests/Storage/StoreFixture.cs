using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

/// <summary>A <see cref="SparseDiskStore"/> in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "xapisim-storage-" + Guid.NewGuid().ToString("N"));
        Store = new SparseDiskStore(Directory);
    }

    public string Directory { get; }

    public SparseDiskStore Store { get; }

    public string[] LayerFiles() => System.IO.Directory.GetFiles(Directory);

    public void Dispose()
    {
        Store.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
