namespace VmBackup.Core.PoolDb;

/// <summary>
/// A pool database dump opened for restore and checked (<see cref="PoolDbDumpInspector"/>): a plain dump is read
/// in place; an encrypted one is decrypted (streaming, every chunk authenticated) into a private temporary file that
/// is deleted on dispose.
/// </summary>
public sealed class PoolDbDumpFile : IAsyncDisposable
{
    private readonly FileStream _stream;

    private PoolDbDumpFile(string path, FileStream stream, bool encrypted, PoolDbDumpSummary summary)
    {
        Path = path;
        _stream = stream;
        WasEncrypted = encrypted;
        Summary = summary;
    }

    /// <summary>The dump file given.</summary>
    public string Path { get; }

    /// <summary>True when the file was an encrypted container.</summary>
    public bool WasEncrypted { get; }

    /// <summary>What the dump holds.</summary>
    public PoolDbDumpSummary Summary { get; }

    /// <summary>Size of the plain dump.</summary>
    public long Length => _stream.Length;

    /// <summary>
    /// Opens and checks <paramref name="path"/>; <paramref name="key"/> is needed when it is encrypted.
    /// </summary>
    /// <exception cref="PoolDbException">Unreadable, corrupt, tampered, truncated, wrong key or not a pool database dump.</exception>
    public static async Task<PoolDbDumpFile> OpenAsync(string path, PoolDbKey? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream? plain = null;
        try
        {
            var encrypted = await IsEncryptedAsync(path, cancellationToken).ConfigureAwait(false);
            if (encrypted)
            {
                if (key is null)
                {
                    throw new PoolDbException($"{path} is encrypted: pass --key-file FILE or set VMBACKUP_POOLDB_PASSPHRASE");
                }

                plain = CreateTemporary();
                await DecryptAsync(path, plain, key, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                plain = OpenRead(path);
            }

            PoolDbDumpSummary summary;
            try
            {
                summary = PoolDbDumpInspector.Inspect(plain);
            }
            catch (PoolDbException e)
            {
                throw new PoolDbException($"{path}: {e.Message}", e);
            }

            plain.Position = 0;
            var result = new PoolDbDumpFile(path, plain, encrypted, summary);
            plain = null;
            return result;
        }
        finally
        {
            plain?.Dispose();
        }
    }

    /// <summary>The plain dump, positioned at its start (owned by this object: do not dispose it).</summary>
    internal Stream Rewind()
    {
        _stream.Position = 0;
        return _stream;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PoolDbException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static async Task<bool> IsEncryptedAsync(string path, CancellationToken cancellationToken)
    {
        var source = OpenRead(path);
        await using (source.ConfigureAwait(false))
        {
            var start = new byte[8];
            var read = await source.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return PoolDbCipher.IsEncrypted(start.AsSpan(0, read));
        }
    }

    private static async Task DecryptAsync(string path, FileStream plain, PoolDbKey key, CancellationToken cancellationToken)
    {
        var source = OpenRead(path);
        await using (source.ConfigureAwait(false))
        {
            try
            {
                await PoolDbCipher.DecryptAsync(source, plain, key, cancellationToken).ConfigureAwait(false);
            }
            catch (PoolDbException e)
            {
                throw new PoolDbException($"{path}: {e.Message}", e);
            }
        }

        await plain.FlushAsync(cancellationToken).ConfigureAwait(false);
        plain.Position = 0;
    }

    private static FileStream CreateTemporary()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var name = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vmbackup-pooldb-" + Guid.NewGuid().ToString("N") + ".xml");
        return new FileStream(name, options);
    }
}
