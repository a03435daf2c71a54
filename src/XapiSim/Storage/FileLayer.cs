using Microsoft.Win32.SafeHandles;

namespace XapiSim.Storage;

/// <summary>
/// A copy-on-write layer stored in a sparse file: a held sub-block lives at its own virtual offset in the file, so the
/// file only occupies the space of the sub-blocks written into it. An index records which 64 KiB sub-blocks it holds;
/// a bit is set only after its data is in the file, so concurrent readers never see a half-made sub-block.
/// Written to only while it is the private top layer of one disk; frozen (read only) once shared.
/// </summary>
internal sealed class FileLayer : DiskLayer
{
    private readonly SafeFileHandle handle;
    private readonly AtomicBitmap held;

    private FileLayer(long virtualSize, DiskLayer? parent, string path, SafeFileHandle handle)
        : base(virtualSize, parent)
    {
        Path = path;
        this.handle = handle;
        held = new AtomicBitmap(DiskBlockSizes.CountBlocks(virtualSize, DiskBlockSizes.CbtBlock));
    }

    public string Path { get; }

    /// <summary>Creates an empty layer on top of <paramref name="parent"/>, taking over the caller's reference to it.</summary>
    public static FileLayer Create(string directory, long virtualSize, DiskLayer? parent)
    {
        var path = System.IO.Path.Combine(directory, $"{Guid.NewGuid():N}.layer");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new FileLayer(virtualSize, parent, path, handle);
    }

    public override bool Holds(long subBlock) => held.Get(subBlock);

    public override void MarkHeld(ulong[] subBlocks) => held.OrInto(subBlocks);

    public long CountHeld() => held.CountSet();

    public override void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                destination.Clear();
                return;
            }

            offset += read;
            destination = destination[read..];
        }
    }

    public override async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (!destination.IsEmpty)
        {
            var read = await RandomAccess.ReadAsync(handle, destination, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                destination.Span.Clear();
                return;
            }

            offset += read;
            destination = destination[read..];
        }
    }

    /// <summary>Writes data at its virtual offset; the caller marks the sub-blocks held afterwards.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(handle, data, offset);

    /// <summary>Asynchronous <see cref="Write"/>.</summary>
    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        RandomAccess.WriteAsync(handle, data, offset, cancellationToken);

    /// <summary>Records that sub-blocks <c>[first, first + count)</c> are now held (their data is written).</summary>
    public void MarkHeld(long first, long count) => held.SetRange(first, count);

    protected override void Free()
    {
        handle.Dispose();
        File.Delete(Path);
    }
}
