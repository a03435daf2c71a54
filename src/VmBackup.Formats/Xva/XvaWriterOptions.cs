using VmBackup.Formats.Compression;
using VmBackup.Formats.Hashing;

namespace VmBackup.Formats.Xva;

/// <summary>Options of <see cref="XvaWriter"/>.</summary>
public sealed record XvaWriterOptions
{
    /// <summary>Checksum entry written after each chunk. <value>The default is <see cref="ChunkChecksumKind.Xxhash"/>.</value></summary>
    public ChunkChecksumKind Checksum { get; init; } = ChunkChecksumKind.Xxhash;

    /// <summary>Whole-stream compression. <value>The default is none.</value></summary>
    public CompressionKind Compression { get; init; } = CompressionKind.None;

    /// <summary>Compression level (zstd 1-19; gzip 1-3 fastest, 4-6 optimal, 7+ smallest). <value>The default is 3.</value></summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>zstd worker threads. <value>The default is 0 (compress in the writing thread).</value></summary>
    public int ZstdWorkers { get; init; }

    /// <summary>mtime of the ova.xml entry, seconds since the Unix epoch (XAPI: the export time; chunks always 0). <value>The default is 0.</value></summary>
    public long OvaXmlModificationTime { get; init; }
}
