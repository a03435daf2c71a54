using System.Security.Cryptography;
using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

public sealed class SparseDiskStoreScaleTests : IDisposable
{
    private const long GiB = 1L << 30;
    private readonly StoreFixture fixture = new();

    private SparseDiskStore Store => fixture.Store;

    public void Dispose() => fixture.Dispose();

    [Fact]
    public void HundredDisksOf100GiB_UseNoSpace_EvenWithSnapshotsAndAWriteAtTheEndOfEach()
    {
        var drive = new DriveInfo(fixture.Directory);
        var freeBefore = drive.AvailableFreeSpace;
        var disks = Enumerable.Range(0, 100).Select(i => Store.CreateGenerated(100 * GiB, 0.5, i)).ToList();
        var snapshots = disks.Select(Store.Snapshot).ToList();
        fixture.LayerFiles().ShouldBeEmpty();

        foreach (var disk in disks)
        {
            Store.Write(disk, (100 * GiB) - 4096, new byte[4096]);
        }

        var files = fixture.LayerFiles();
        files.Length.ShouldBe(100);
        files.ShouldAllBe(f => new FileInfo(f).Length == 100 * GiB);

        // Written non-sparse these files would need 10 TiB; sparse they hold one 64 KiB sub-block each.
        var used = freeBefore - new DriveInfo(fixture.Directory).AvailableFreeSpace;
        used.ShouldBeLessThan(2 * GiB);
        Store.GetPhysicalUtilisation(snapshots[0]).ShouldBe(DiskPattern.GetAllocatedBlockCount(100 * GiB, 0.5) * DiskBlockSizes.VhdBlock);
    }

    [Fact]
    public async Task ConcurrentReadersOfSnapshots_WhileTheDiskIsWritten_SeeStableContent()
    {
        const long size = 24L * DiskBlockSizes.VhdBlock;
        var disk = Store.CreateGenerated(size, 0.5, 12);
        var snapshots = new List<(string Id, byte[] Hash)>();
        for (var i = 0; i < 4; i++)
        {
            var data = new byte[100_000];
            data.AsSpan().Fill((byte)(i + 1));
            Store.Write(disk, i * 3L * DiskBlockSizes.CbtBlock, data);
            var snapshot = Store.Snapshot(disk);
            snapshots.Add((snapshot, HashOf(snapshot)));
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(
            async () =>
            {
                var random = new Random(1);
                var data = new byte[200_000];
                while (!stop.IsCancellationRequested)
                {
                    random.NextBytes(data);
                    await Store.WriteAsync(disk, random.NextInt64(size - data.Length), data, CancellationToken.None);
                }
            },
            CancellationToken.None);

        var readers = snapshots.Concat(snapshots).Select(s => Task.Run(() => HashOf(s.Id), CancellationToken.None)).ToArray();
        var hashes = await Task.WhenAll(readers);
        await stop.CancelAsync();
        await writer;

        for (var i = 0; i < readers.Length; i++)
        {
            hashes[i].ShouldBe(snapshots[i % snapshots.Count].Hash);
        }

        snapshots.Select(s => Convert.ToHexString(s.Hash)).Distinct().Count().ShouldBe(4);
    }

    private byte[] HashOf(string id)
    {
        using var stream = Store.Open(id, writable: false);
        return SHA256.HashData(stream);
    }
}
