using System.IO.Compression;

namespace VmBackup.Formats.Compression;

/// <summary>Wraps a stream for reading or writing in a given whole-stream compression.</summary>
public static class CompressionStreams
{
    /// <summary>Returns a stream that decompresses <paramref name="input"/> (or <paramref name="input"/> itself for <see cref="CompressionKind.None"/> when <paramref name="leaveOpen"/> is false).</summary>
    public static Stream OpenRead(Stream input, CompressionKind kind, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return kind switch
        {
            CompressionKind.None => leaveOpen ? new PrefixedStream([], input, leaveOpen: true) : input,
            CompressionKind.Gzip => new GZipStream(input, CompressionMode.Decompress, leaveOpen),
            CompressionKind.Zstd => new ZstdDecompressionStream(input, leaveOpen),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown compression"),
        };
    }

    /// <summary>
    /// Returns a stream that compresses into <paramref name="output"/>. Dispose it to finish the compressed stream.
    /// For <see cref="CompressionKind.None"/> the result is a pass-through wrapper honouring <paramref name="leaveOpen"/>.
    /// </summary>
    /// <param name="output">Destination.</param>
    /// <param name="kind">Compression to apply.</param>
    /// <param name="level">zstd level (1-19) or, for gzip, 1-3 = fastest, 4-6 = optimal, 7+ = smallest.</param>
    /// <param name="zstdWorkers">zstd worker threads (0 = none).</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open on dispose.</param>
    public static Stream OpenWrite(Stream output, CompressionKind kind, int level = 3, int zstdWorkers = 0, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        return kind switch
        {
            CompressionKind.None => new PassThroughWriteStream(output, leaveOpen),
            CompressionKind.Gzip => new GZipStream(output, level <= 3 ? CompressionLevel.Fastest : level <= 6 ? CompressionLevel.Optimal : CompressionLevel.SmallestSize, leaveOpen),
            CompressionKind.Zstd => new ZstdCompressionStream(output, level, zstdWorkers, leaveOpen),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown compression"),
        };
    }

    /// <summary>Detects the compression of <paramref name="input"/> by its magic and returns a decompressing stream.</summary>
    public static async ValueTask<(CompressionKind Kind, Stream Decompressed)> OpenReadDetectingAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        var (kind, replay) = await CompressionDetector.DetectAsync(input, leaveOpen, cancellationToken).ConfigureAwait(false);
        return (kind, OpenRead(replay, kind, leaveOpen: false));
    }
}
