using Microsoft.Win32.SafeHandles;

namespace VmBackup.Repository.Nau;

/// <summary>
/// A write-only stream to <c>&lt;final&gt;.partial</c>. <see cref="CommitAsync"/> flushes the data to disk (fsync),
/// renames the file to its final name and fsyncs the folder. Disposing without a commit deletes the temporary file,
/// so an aborted export leaves nothing that looks like a data file. A file left by a killed process keeps its
/// <c>.partial</c> suffix, is never taken for a data file, and is removed by the next run
/// (<see cref="NauVmFolder.RemovePartialFiles"/>).
/// Write-behind: every <see cref="WriteBehindInterval"/> bytes a background fsync starts, so the disk writes overlap the
/// transfer and the fsync at commit has little left to do (a backup is durable without costing its own time twice).
/// </summary>
public sealed class NauPartialFileStream : Stream
{
    /// <summary>How many bytes are written between two background flushes to disk.</summary>
    public const long WriteBehindInterval = 64L << 20;

    private readonly FileStream _inner;
    private readonly SafeFileHandle _handle;
    private long _unflushed;
    private Task _writeBehind = Task.CompletedTask;
    private bool _committed;
    private bool _disposed;

    internal NauPartialFileStream(string finalPath, UnixFileMode? mode)
    {
        FinalPath = finalPath;
        TemporaryPath = finalPath + NauBackupFolder.PartialSuffix;
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 1 << 16,
        };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = m;
        }

        _inner = new FileStream(TemporaryPath, options);
        _handle = _inner.SafeFileHandle;
    }

    /// <summary>The name the file gets on commit.</summary>
    public string FinalPath { get; }

    /// <summary>The temporary file being written.</summary>
    public string TemporaryPath { get; }

    /// <summary>True once <see cref="CommitAsync"/> succeeded.</summary>
    public bool IsCommitted => _committed;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed && !_committed;

    /// <inheritdoc />
    public override long Length => _inner.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Flushes the data to disk, renames the temporary file to <see cref="FinalPath"/> (replacing an existing file) and
    /// fsyncs the folder. After this the stream is closed; disposing it no longer deletes anything.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("already committed");
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _writeBehind.ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        _inner.Flush(flushToDisk: true);
        await _inner.DisposeAsync().ConfigureAwait(false);
        File.Move(TemporaryPath, FinalPath, overwrite: true);
        _committed = true;
        DurableFileSystem.FsyncDirectory(Path.GetDirectoryName(FinalPath)!);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfNotWritable();
        _inner.Write(buffer, offset, count);
        Written(count);
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        _inner.Write(buffer);
        Written(buffer.Length);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        return WriteAndCountAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteAndCountAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Written(buffer.Length);
    }

    /// <summary>Counts written bytes and starts a background fsync when enough have piled up and none is running.</summary>
    private void Written(int count)
    {
        _unflushed += count;
        if (_unflushed >= WriteBehindInterval && _writeBehind.IsCompleted)
        {
            // A failed background flush is not lost: CommitAsync awaits it and fails.
            _writeBehind = _writeBehind.IsFaulted ? _writeBehind : Task.Run(() => RandomAccess.FlushToDisk(_handle));
            _unflushed = 0;
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (!_committed && !_disposed)
        {
            _inner.Flush();
        }
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _committed || _disposed ? Task.CompletedTask : _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            WaitForWriteBehind();
            _inner.Dispose();
            if (!_committed)
            {
                TryDelete(TemporaryPath);
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _writeBehind.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _inner.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                TryDelete(TemporaryPath);
            }
        }

        GC.SuppressFinalize(this);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Lets a running background flush end before the handle closes; its failure only matters to a commit.</summary>
    private void WaitForWriteBehind()
    {
        try
        {
            _writeBehind.Wait();
        }
        catch (AggregateException)
        {
            // Abandoned file: the flush failure is irrelevant.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next run's RemovePartialFiles.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("the file is committed; no more writes");
        }
    }
}
