using System.Buffers;

namespace VmBackup.Formats.Tar;

/// <summary>
/// A minimal streaming tar writer producing exactly the V7 layout of ocaml-tar as XAPI uses it: mode 0000400,
/// uid/gid 0, 11-digit octal size and mtime, header checksum, typeflag NUL, data padded to 512 bytes, and
/// <see cref="WriteEndAsync"/> appends exactly two zero blocks (no record padding). Does not own the output stream.
/// Not thread-safe.
/// </summary>
public sealed class TarWriter
{
    private static readonly byte[] ZeroBlock = new byte[TarHeaderBlock.BlockSize];
    private readonly Stream _output;
    private string? _openEntry;
    private long _openRemaining;
    private long _openSize;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public TarWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes of tar written so far.</summary>
    public long Position { get; private set; }

    /// <summary>Writes a whole entry (header, data, padding).</summary>
    public async ValueTask WriteEntryAsync(string name, ReadOnlyMemory<byte> data, long mtime, CancellationToken cancellationToken)
    {
        await BeginEntryAsync(name, data.Length, mtime, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(data, cancellationToken).ConfigureAwait(false);
        await EndEntryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the header of an entry whose <paramref name="size"/> data bytes follow through <see cref="WriteDataAsync"/>.</summary>
    public async ValueTask BeginEntryAsync(string name, long size, long mtime, CancellationToken cancellationToken)
    {
        if (_openEntry is not null)
        {
            throw new InvalidOperationException($"tar entry '{_openEntry}' is still open");
        }

        var block = ArrayPool<byte>.Shared.Rent(TarHeaderBlock.BlockSize);
        try
        {
            TarHeaderBlock.WriteV7(block, name, size, mtime);
            await _output.WriteAsync(block.AsMemory(0, TarHeaderBlock.BlockSize), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        Position += TarHeaderBlock.BlockSize;
        _openEntry = name;
        _openRemaining = size;
        _openSize = size;
    }

    /// <summary>Writes data of the open entry; the total must not exceed the size given to <see cref="BeginEntryAsync"/>.</summary>
    public async ValueTask WriteDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_openEntry is null)
        {
            throw new InvalidOperationException("no tar entry is open");
        }

        if (data.Length > _openRemaining)
        {
            throw new InvalidOperationException($"tar entry '{_openEntry}' was declared with {_openSize} bytes; more were written");
        }

        await _output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _openRemaining -= data.Length;
        Position += data.Length;
    }

    /// <summary>Finishes the open entry: checks its size and writes the padding to 512 bytes.</summary>
    public async ValueTask EndEntryAsync(CancellationToken cancellationToken)
    {
        if (_openEntry is null)
        {
            throw new InvalidOperationException("no tar entry is open");
        }

        if (_openRemaining != 0)
        {
            throw new InvalidOperationException($"tar entry '{_openEntry}' was declared with {_openSize} bytes; {_openRemaining} are missing");
        }

        var padding = (int)((TarHeaderBlock.BlockSize - (_openSize % TarHeaderBlock.BlockSize)) % TarHeaderBlock.BlockSize);
        if (padding > 0)
        {
            await _output.WriteAsync(ZeroBlock.AsMemory(0, padding), cancellationToken).ConfigureAwait(false);
            Position += padding;
        }

        _openEntry = null;
    }

    /// <summary>Writes the end-of-archive marker: exactly two zero blocks.</summary>
    public async ValueTask WriteEndAsync(CancellationToken cancellationToken)
    {
        if (_openEntry is not null)
        {
            throw new InvalidOperationException($"tar entry '{_openEntry}' is still open");
        }

        await _output.WriteAsync(ZeroBlock, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(ZeroBlock, cancellationToken).ConfigureAwait(false);
        Position += 2 * TarHeaderBlock.BlockSize;
    }
}
