using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tests.Support;

namespace VmBackup.Formats.Tests.Hashing;

public class Xxh64Tests
{
    [Fact]
    public void Hash_Empty_IsTheKeepAliveChecksumXapiWrites()
    {
        Xxh64.ToXvaHex(Xxh64.Hash([])).ShouldBe("EF46DB3751D8E999");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Hash_RandomBuffers_EqualsXxhsum(int seed)
    {
        var rng = new Random(seed);
        using var dir = new TempDirectory();
        int[] sizes = [0, 1, 3, 4, 7, 8, 15, 31, 32, 33, 63, 64, 100, 1000, 65536 + rng.Next(1000), 1024 * 1024];
        var files = new List<string>();
        var expected = new Dictionary<string, string>();
        foreach (var size in sizes)
        {
            var data = new byte[size];
            rng.NextBytes(data);
            var file = dir.File($"f{size}");
            File.WriteAllBytes(file, data);
            files.Add(file);
            expected[file] = Xxh64.ToXvaHex(Xxh64.Hash(data));
        }

        var output = ExternalTool.Run("xxhsum", ["-H64", .. files]);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split("  ", 2);
            parts[0].ToUpperInvariant().ShouldBe(expected[parts[1]], $"xxhsum disagrees for {parts[1]}");
        }

        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(sizes.Length);
    }

    [Fact]
    public void Append_InRandomPieces_EqualsOneShot()
    {
        var rng = new Random(42);
        for (var round = 0; round < 50; round++)
        {
            var data = new byte[rng.Next(0, 5000)];
            rng.NextBytes(data);
            var hasher = new Xxh64();
            var position = 0;
            while (position < data.Length)
            {
                var n = rng.Next(0, Math.Min(100, data.Length - position) + 1);
                hasher.Append(data.AsSpan(position, n));
                position += n;
            }

            hasher.GetCurrentHash().ShouldBe(Xxh64.Hash(data));
        }
    }

    [Fact]
    public void Hash_WithSeed_DiffersFromSeedZero()
    {
        var data = "abc"u8.ToArray();
        Xxh64.Hash(data, 1).ShouldNotBe(Xxh64.Hash(data, 0));
        new Xxh64(1).GetCurrentHash().ShouldBe(Xxh64.Hash([], 1));
    }
}
