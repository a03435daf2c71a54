namespace XapiSim.Storage;

/// <summary>
/// Random access to the bytes of one disk, whatever keeps them (a copy-on-write chain, a shared SR file): what a
/// <see cref="DiskStream"/> reads and writes through.
/// </summary>
internal interface IDiskContent
{
    /// <summary>The disk's size in bytes.</summary>
    long VirtualSize { get; }

    int Read(long offset, Span<byte> buffer);

    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    void Write(long offset, ReadOnlySpan<byte> data);

    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Called once when the stream is disposed (a copy-on-write disk releases its lease).</summary>
    void Release();
}
