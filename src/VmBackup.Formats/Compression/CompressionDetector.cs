namespace VmBackup.Formats.Compression;

/// <summary>
/// Recognises the whole-stream compression of an input by its first bytes: zstd <c>28 B5 2F FD</c>, gzip <c>1F 8B</c>,
/// anything else is plain.
/// </summary>
public static class CompressionDetector
{
    /// <summary>Classifies a stream prefix. Fewer than 2 (gzip) or 4 (zstd) bytes are classified as plain.</summary>
    public static CompressionKind Detect(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length >= 4 && prefix[0] == 0x28 && prefix[1] == 0xB5 && prefix[2] == 0x2F && prefix[3] == 0xFD)
        {
            return CompressionKind.Zstd;
        }

        if (prefix.Length >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B)
        {
            return CompressionKind.Gzip;
        }

        return CompressionKind.None;
    }

    /// <summary>
    /// Reads up to 4 bytes from a (possibly non-seekable) stream, classifies them, and returns a stream that replays
    /// those bytes followed by the rest of <paramref name="input"/>.
    /// </summary>
    public static async ValueTask<(CompressionKind Kind, Stream Replay)> DetectAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prefix = new byte[4];
        var filled = 0;
        while (filled < prefix.Length)
        {
            var n = await input.ReadAsync(prefix.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        Array.Resize(ref prefix, filled);
        return (Detect(prefix), new PrefixedStream(prefix, input, leaveOpen));
    }
}
