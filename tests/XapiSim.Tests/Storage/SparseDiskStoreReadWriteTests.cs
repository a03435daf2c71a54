using System.Security.Cryptography;
using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

public sealed class SparseDiskStoreReadWriteTests : IDisposable
{
    private const int Block = DiskBlockSizes.VhdBlock;
    private const int Cbt = DiskBlockSizes.CbtBlock;
    private readonly StoreFixture fixture = new();

    private SparseDiskStore Store => fixture.Store;

    public void Dispose() => fixture.Dispose();

    [Fact]
    public void GeneratedDisk_StreamHashesToDiskPatternHash()
    {
        const long size = 33L * Block + 5000;
        var id = Store.CreateGenerated(size, 0.6, 42);
        using var stream = Store.Open(id, writable: false);
        stream.Length.ShouldBe(size);
        SHA256.HashData(stream).ShouldBe(DiskPattern.ComputeSha256(size, 0.6, 42));
        fixture.LayerFiles().ShouldBeEmpty();
    }

    [Fact]
    public void GeneratedDisk_SameSeedSameBytes()
    {
        const long size = 8L * Block;
        var a = Store.CreateGenerated(size, 0.5, 3);
        var b = Store.CreateGenerated(size, 0.5, 3);
        var c = Store.CreateGenerated(size, 0.5, 4);
        Hash(a).ShouldBe(Hash(b));
        Hash(a).ShouldNotBe(Hash(c));
    }

    [Fact]
    public void EmptyDisk_ReadsZeros_AndReadsStopAtTheEnd()
    {
        var id = Store.CreateEmpty(3 * Cbt + 10);
        var buffer = new byte[4 * Cbt];
        buffer.AsSpan().Fill(0xAA);
        Store.Read(id, 5, buffer).ShouldBe((3 * Cbt) + 5);
        buffer.AsSpan(0, (3 * Cbt) + 5).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        buffer[(3 * Cbt) + 5].ShouldBe((byte)0xAA);
        Store.Read(id, 3 * Cbt + 10, buffer).ShouldBe(0);
        Store.GetPhysicalUtilisation(id).ShouldBe(0);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 7)]
    [InlineData(Cbt - 3, 10)]
    [InlineData(Cbt, Cbt)]
    [InlineData(12345, 3 * Cbt + 17)]
    [InlineData(Block - 1, Block + 2)]
    public void Write_AtOddOffsets_ReadsBackOverGeneratedContent(long offset, int length)
    {
        const long size = 6L * Block + 999;
        var id = Store.CreateGenerated(size, 1.0, 8);
        var data = RandomBytes(length, (int)offset);
        Store.Write(id, offset, data);

        var expected = new byte[size];
        DiskPattern.Read(size, 1.0, 8, 0, expected);
        data.CopyTo(expected, offset);
        ReadAll(id).AsSpan().SequenceEqual(expected).ShouldBeTrue();
    }

    [Fact]
    public void Write_PartialSubBlockOfEmptyDisk_KeepsZerosAround()
    {
        var id = Store.CreateEmpty(Block);
        Store.Write(id, 100, new byte[] { 1, 2, 3 });
        var buffer = new byte[Cbt];
        Store.Read(id, 0, buffer);
        buffer.AsSpan(0, 100).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        buffer.AsSpan(100, 3).ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        buffer.AsSpan(103).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        Store.GetPhysicalUtilisation(id).ShouldBe(Cbt);
    }

    [Fact]
    public void Write_LastPartialSubBlock_IsClippedToVirtualSize()
    {
        const long size = Cbt + 100;
        var id = Store.CreateEmpty(size);
        Store.Write(id, Cbt + 90, new byte[10] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 });
        Store.GetPhysicalUtilisation(id).ShouldBe(100);
        Store.GetAllocatedExtents(id).ShouldBe([(Cbt, 100L)]);
        Should.Throw<ArgumentOutOfRangeException>(() => Store.Write(id, Cbt + 91, new byte[10]));
    }

    [Fact]
    public void Stream_WritesAndSeeks_LikeAFile()
    {
        var id = Store.CreateEmpty(4 * Cbt);
        using (var stream = Store.Open(id, writable: true))
        {
            stream.CanWrite.ShouldBeTrue();
            stream.Seek(Cbt - 2, SeekOrigin.Begin);
            stream.Write([9, 8, 7, 6]);
            stream.Position.ShouldBe(Cbt + 2);
            stream.Seek(-1, SeekOrigin.End);
            Should.Throw<IOException>(() => stream.Write([1, 2]));
            Should.Throw<NotSupportedException>(() => stream.SetLength(10));
        }

        using var reader = Store.Open(id, writable: false);
        reader.CanWrite.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => reader.Write([1]));
        reader.Position = Cbt - 3;
        var buffer = new byte[6];
        reader.ReadExactly(buffer);
        buffer.ShouldBe(new byte[] { 0, 9, 8, 7, 6, 0 });
    }

    [Fact]
    public async Task AsyncReadAndWrite_MatchSyncResults()
    {
        const long size = 4L * Block;
        var id = Store.CreateGenerated(size, 0.5, 77);
        var data = RandomBytes(Block + 333, 5);
        await Store.WriteAsync(id, Block - 111, data, CancellationToken.None);
        var viaAsync = new byte[size];
        (await Store.ReadAsync(id, 0, viaAsync, CancellationToken.None)).ShouldBe((int)size);

        var expected = new byte[size];
        DiskPattern.Read(size, 0.5, 77, 0, expected);
        data.CopyTo(expected, Block - 111);
        viaAsync.AsSpan().SequenceEqual(expected).ShouldBeTrue();

        await using var stream = Store.Open(id, writable: false);
        var viaStream = new byte[size];
        await stream.ReadExactlyAsync(viaStream, CancellationToken.None);
        viaStream.AsSpan().SequenceEqual(expected).ShouldBeTrue();
    }

    [Fact]
    public async Task ReadAsync_HonoursCancellation()
    {
        var id = Store.CreateGenerated(Block, 1, 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await Store.ReadAsync(id, 0, new byte[Block], cancelled.Token));
    }

    [Fact]
    public void UnknownId_Throws_ButDestroyIgnoresIt()
    {
        Should.Throw<KeyNotFoundException>(() => Store.GetVirtualSize("nope"));
        Should.Throw<KeyNotFoundException>(() => Store.Open("nope", false));
        Store.Destroy("nope");
        var id = Store.CreateEmpty(Cbt);
        Store.Destroy(id);
        Should.Throw<KeyNotFoundException>(() => Store.Read(id, 0, new byte[1]));
    }

    [Fact]
    public void AllocatedExtents_CoverExactlyTheGeneratedBlocks()
    {
        const long size = 50L * Block;
        var id = Store.CreateGenerated(size, 0.3, 5);
        var fromExtents = new bool[50];
        foreach (var (offset, length) in Store.GetAllocatedExtents(id))
        {
            (offset % Block).ShouldBe(0);
            (length % Block).ShouldBe(0);
            for (var b = offset / Block; b < (offset + length) / Block; b++)
            {
                fromExtents[b] = true;
            }
        }

        var expected = Enumerable.Range(0, 50).Select(b => DiskPattern.IsBlockAllocated(size, 0.3, 5, b)).ToArray();
        fromExtents.ShouldBe(expected);
        Store.GetAllocatedBlocks(id, Block).ShouldBe(expected);
        Store.GetPhysicalUtilisation(id).ShouldBe(15L * Block);
    }

    private byte[] ReadAll(string id)
    {
        var all = new byte[Store.GetVirtualSize(id)];
        using var stream = Store.Open(id, writable: false);
        stream.ReadExactly(all);
        stream.Read(new byte[1]).ShouldBe(0);
        return all;
    }

    private byte[] Hash(string id)
    {
        using var stream = Store.Open(id, writable: false);
        return SHA256.HashData(stream);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
