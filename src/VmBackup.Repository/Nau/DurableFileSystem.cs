using System.Runtime.InteropServices;

namespace VmBackup.Repository.Nau;

/// <summary>fsync helpers: a file through <see cref="FileStream.Flush(bool)"/>, a directory through POSIX <c>fsync</c>.</summary>
internal static class DurableFileSystem
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux value; only used on Linux.

    /// <summary>Makes a rename or a new file inside <paramref name="directory"/> durable. Best effort: a no-op where not supported.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="content"/> and fsyncs it.</summary>
    public static async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, UnixFileMode? mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = m;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    // DllImport with blittable arguments (a NUL-terminated UTF-8 byte array): no unsafe code needed.
    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
