using VmBackup.Formats.Compression;
using VmBackup.Formats.Tests.Support;

namespace VmBackup.Formats.Tests.Compression;

public class ZstdTests
{
    private static byte[] Sample(int seed, int size)
    {
        var rng = new Random(seed);
        var data = new byte[size];
        for (var i = 0; i < size; i += 4096)
        {
            if (rng.Next(2) == 0)
            {
                rng.NextBytes(data.AsSpan(i, Math.Min(4096, size - i)));
            }
        }

        return data;
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(2, 1000, 0)]
    [InlineData(3, 3 * 1024 * 1024 + 17, 0)]
    [InlineData(4, 3 * 1024 * 1024 + 17, 2)]
    public async Task Compress_ThenZstdCli_Decompresses(int seed, int size, int workers)
    {
        var data = Sample(seed, size);
        var compressed = new MemoryStream();
        await using (var z = new ZstdCompressionStream(compressed, level: 5, workers: workers, leaveOpen: true))
        {
            await z.WriteAsync(data.AsMemory(0, size / 2));
            z.Write(data.AsSpan(size / 2));
        }

        var (output, _) = ExternalTool.RunBytes("zstd", compressed.ToArray(), "-d", "-c");
        ByteAssert.Equal(data, output, "zstd -d");
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 2 * 1024 * 1024 + 5)]
    public async Task ZstdCli_ThenDecompress_RoundTrips(int seed, int size)
    {
        var data = Sample(seed, size);
        var (compressed, _) = ExternalTool.RunBytes("zstd", data, "-c", "-3");
        using var z = new ZstdDecompressionStream(new NonSeekableStream(new MemoryStream(compressed)));
        var result = new MemoryStream();
        await z.CopyToAsync(result);
        ByteAssert.Equal(data, result.ToArray(), "decompressed");
    }

    [Fact]
    public async Task Decompress_ConcatenatedFrames_ReadsAll()
    {
        var (a, _) = ExternalTool.RunBytes("zstd", "first"u8.ToArray(), "-c");
        var (b, _) = ExternalTool.RunBytes("zstd", "second"u8.ToArray(), "-c");
        using var z = new ZstdDecompressionStream(new MemoryStream([.. a, .. b]));
        var result = new MemoryStream();
        await z.CopyToAsync(result);
        result.ToArray().ShouldBe("firstsecond"u8.ToArray());
    }

    [Fact]
    public async Task Decompress_TruncatedStream_ThrowsNamingOffset()
    {
        var data = Sample(7, 500000);
        var (compressed, _) = ExternalTool.RunBytes("zstd", data, "-c");
        using var z = new ZstdDecompressionStream(new MemoryStream(compressed[..(compressed.Length / 2)]));
        var e = await Should.ThrowAsync<InvalidDataException>(() => z.CopyToAsync(new MemoryStream()));
        e.Message.ShouldContain("truncated");
        e.Message.ShouldContain("compressed offset");
    }

    [Fact]
    public async Task Decompress_Garbage_Throws()
    {
        byte[] garbage = [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        using var z = new ZstdDecompressionStream(new MemoryStream(garbage));
        await Should.ThrowAsync<InvalidDataException>(() => z.CopyToAsync(new MemoryStream()));
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0 }, CompressionKind.Zstd)]
    [InlineData(new byte[] { 0x1F, 0x8B, 8 }, CompressionKind.Gzip)]
    [InlineData(new byte[] { (byte)'o', (byte)'v', (byte)'a' }, CompressionKind.None)]
    [InlineData(new byte[] { 0x1F }, CompressionKind.None)]
    public async Task Detector_ClassifiesAndReplaysPrefix(byte[] prefix, CompressionKind expected)
    {
        CompressionDetector.Detect(prefix).ShouldBe(expected);
        var (kind, replay) = await CompressionDetector.DetectAsync(new NonSeekableStream(new MemoryStream(prefix), 1), leaveOpen: false, CancellationToken.None);
        kind.ShouldBe(expected);
        var all = new MemoryStream();
        await replay.CopyToAsync(all);
        all.ToArray().ShouldBe(prefix);
    }

    [Theory]
    [InlineData(CompressionKind.None)]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task CompressionStreams_RoundTripEveryKind(CompressionKind kind)
    {
        var data = Sample(8, 300000);
        var buffer = new MemoryStream();
        await using (var w = CompressionStreams.OpenWrite(buffer, kind, leaveOpen: true))
        {
            await w.WriteAsync(data);
        }

        buffer.Position = 0;
        var (detected, r) = await CompressionStreams.OpenReadDetectingAsync(buffer, leaveOpen: false, CancellationToken.None);
        detected.ShouldBe(kind);
        var result = new MemoryStream();
        await r.CopyToAsync(result);
        ByteAssert.Equal(data, result.ToArray(), "decompressed");
    }

    [Fact]
    public void MissingLibrary_MessageSaysWhatToInstall()
    {
        var e = new ZstdUnavailableException(new DllNotFoundException("libzstd.so.1"));
        e.Message.ShouldContain("libzstd.so.1");
        e.Message.ShouldContain("libzstd1");
        e.Message.ShouldNotContain("\n");
        e.InnerException.ShouldBeOfType<DllNotFoundException>();
    }
}
