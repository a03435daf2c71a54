namespace VmBackup.Core.PoolDb;

/// <summary>
/// A file written atomically and privately: the data goes to <c>&lt;path&gt;.partial</c>, created with mode 0600;
/// <see cref="CommitAsync"/> fsyncs it and renames it to its final name. Disposing without a commit deletes the
/// temporary file, so a failed or cancelled write leaves no file that looks complete.
/// </summary>
internal sealed class PrivateFile : IAsyncDisposable, IDisposable
{
    /// <summary>The suffix of the file being written.</summary>
    public const string PartialSuffix = ".partial";

    private readonly FileStream _stream;
    private bool _committed;

    private PrivateFile(string path)
    {
        FinalPath = path;
        TemporaryPath = path + PartialSuffix;
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _stream = new FileStream(TemporaryPath, options);
        if (!OperatingSystem.IsWindows())
        {
            // A leftover .partial keeps its old mode through FileMode.Create: force 0600.
            File.SetUnixFileMode(_stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The name the file gets on commit.</summary>
    public string FinalPath { get; }

    /// <summary>The temporary file.</summary>
    public string TemporaryPath { get; }

    /// <summary>The stream to write to.</summary>
    public Stream Stream => _stream;

    /// <summary>Opens <c>&lt;path&gt;.partial</c> for writing (its folder must exist).</summary>
    public static PrivateFile Create(string path) => new(path);

    /// <summary>Flushes to disk and renames to <see cref="FinalPath"/> (replacing a file of that name).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Commit();
    }

    /// <summary>Synchronous <see cref="CommitAsync"/>.</summary>
    public void Commit()
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(TemporaryPath, FinalPath, overwrite: true);
        _committed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        Abandon();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        Abandon();
    }

    private void Abandon()
    {
        if (!_committed)
        {
            try
            {
                File.Delete(TemporaryPath);
            }
            catch (IOException)
            {
                // Left for the next run; it never looks like a complete file.
            }
        }
    }
}
