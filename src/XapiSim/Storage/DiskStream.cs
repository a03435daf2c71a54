namespace XapiSim.Storage;

/// <summary>
/// A seekable view of one disk with a fixed length (the virtual size), over its <see cref="IDiskContent"/> (a leased
/// copy-on-write disk or a shared SR file). Not thread-safe itself (it has a position); use one stream per reader.
/// </summary>
internal sealed class DiskStream : Stream
{
    private readonly IDiskContent disk;
    private readonly bool writable;
    private long position;
    private int disposed;

    public DiskStream(IDiskContent disk, bool writable)
    {
        this.disk = disk;
        this.writable = writable;
    }

    public override bool CanRead => disposed == 0;

    public override bool CanSeek => disposed == 0;

    public override bool CanWrite => writable && disposed == 0;

    public override long Length
    {
        get
        {
            ThrowIfDisposed();
            return disk.VirtualSize;
        }
    }

    public override long Position
    {
        get
        {
            ThrowIfDisposed();
            return position;
        }

        set
        {
            ThrowIfDisposed();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ThrowIfDisposed();
        var read = disk.Read(position, buffer);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var read = await disk.ReadAsync(position, buffer, cancellationToken).ConfigureAwait(false);
        position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable(buffer.Length);
        disk.Write(position, buffer);
        position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable(buffer.Length);
        await disk.WriteAsync(position, buffer, cancellationToken).ConfigureAwait(false);
        position += buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfDisposed();
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => disk.VirtualSize + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("Seek before the beginning of the disk.");
        }

        position = target;
        return position;
    }

    /// <summary>Not supported: a disk's size is fixed.</summary>
    public override void SetLength(long value) => throw new NotSupportedException("A disk's length is its virtual size.");

    /// <summary>Nothing to do: every write goes to the layer file before it returns.</summary>
    public override void Flush() => ThrowIfDisposed();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            disk.Release();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfNotWritable(int length)
    {
        ThrowIfDisposed();
        if (!writable)
        {
            throw new NotSupportedException("The disk was opened read-only.");
        }

        if (position > disk.VirtualSize - length)
        {
            throw new IOException($"Write of {length} bytes at {position} goes beyond the end of the {disk.VirtualSize}-byte disk.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed != 0, this);
}
