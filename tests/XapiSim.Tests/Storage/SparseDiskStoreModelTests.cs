using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

/// <summary>
/// Random sequences of store operations on small disks, checked after every step against a plain in-memory model
/// (one byte array per disk). Sizes straddle 64 KiB and 2 MiB boundaries; writes come in every alignment.
/// </summary>
public sealed class SparseDiskStoreModelTests
{
    private const int Cbt = DiskBlockSizes.CbtBlock;
    private const int Block = DiskBlockSizes.VhdBlock;
    private static readonly long[] Sizes = [Cbt, (3 * Cbt) + 123, 2L * Block, (2L * Block) + 5000, Block - 1];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomOperations_MatchInMemoryModel(int seed)
    {
        using var fixture = new StoreFixture();
        var store = fixture.Store;
        var random = new Random(seed);
        var model = new Dictionary<string, ModelDisk>();

        for (var step = 0; step < 120; step++)
        {
            var live = model.Keys.ToList();
            var choice = live.Count == 0 ? 0 : random.Next(100);
            var id = live.Count == 0 ? null : live[random.Next(live.Count)];
            switch (choice)
            {
                case < 6:
                    CreateDisk(store, random, model);
                    break;
                case < 16:
                    Branch(store, random, model, id!);
                    break;
                case < 21 when live.Count > 1:
                    store.Destroy(id!);
                    model.Remove(id!);
                    break;
                case < 60:
                    await WriteAsync(store, random, model[id!], id!);
                    break;
                case < 85:
                    await ReadAndCompareAsync(store, random, model[id!], id!);
                    break;
                case < 92:
                    CheckAllocation(store, model[id!], id!);
                    break;
                default:
                    CheckChangedBlocksCoverDifferences(store, model, id!, live[random.Next(live.Count)]);
                    break;
            }
        }

        foreach (var (id, disk) in model)
        {
            var actual = new byte[disk.Content.Length];
            store.Read(id, 0, actual).ShouldBe(actual.Length);
            actual.AsSpan().SequenceEqual(disk.Content).ShouldBeTrue($"final content of {id}");
            store.Destroy(id);
        }

        fixture.LayerFiles().ShouldBeEmpty();
    }

    private static void CreateDisk(SparseDiskStore store, Random random, Dictionary<string, ModelDisk> model)
    {
        var size = Sizes[random.Next(Sizes.Length)];
        if (random.Next(3) == 0)
        {
            model[store.CreateEmpty(size)] = new ModelDisk(new byte[size]);
            return;
        }

        var fill = new[] { 0.0, 0.3, 0.5, 1.0 }[random.Next(4)];
        var patternSeed = random.Next();
        var content = new byte[size];
        DiskPattern.Read(size, fill, patternSeed, 0, content);
        model[store.CreateGenerated(size, fill, patternSeed)] = new ModelDisk(content);
    }

    private static void Branch(SparseDiskStore store, Random random, Dictionary<string, ModelDisk> model, string sourceId)
    {
        var source = model[sourceId];
        var copyId = random.Next(2) == 0 ? store.Snapshot(sourceId) : store.Clone(sourceId);

        // Exact CBT: the only layers not shared by the new copy and the source's previous branch hold what the source
        // wrote since that branch and what the branch wrote since it was made.
        if (source.LastBranch is { } previous && model.TryGetValue(previous, out var previousDisk))
        {
            var expected = new SortedSet<long>(source.DirtySinceBranch);
            expected.UnionWith(previousDisk.DirtySinceCreation);
            var changed = store.GetChangedBlocks(previous, copyId);
            Enumerable.Range(0, changed.Length).Where(i => changed[i]).Select(i => (long)i).ShouldBe(expected);
        }

        model[copyId] = new ModelDisk((byte[])source.Content.Clone());
        source.LastBranch = copyId;
        source.DirtySinceBranch.Clear();
    }

    private static async Task WriteAsync(SparseDiskStore store, Random random, ModelDisk disk, string id)
    {
        var size = disk.Content.Length;
        int offset;
        int length;
        if (random.Next(4) == 0)
        {
            // Whole, aligned sub-blocks.
            var first = random.Next((int)DiskBlockSizes.CountBlocks(size, Cbt));
            offset = first * Cbt;
            length = Math.Min(size - offset, Cbt * random.Next(1, 4));
        }
        else
        {
            offset = random.Next(size);
            length = Math.Min(size - offset, random.Next(1, 3 * Cbt));
        }

        var data = new byte[length];
        if (random.Next(5) != 0)
        {
            random.NextBytes(data);
        }

        switch (random.Next(3))
        {
            case 0:
                store.Write(id, offset, data);
                break;
            case 1:
                await store.WriteAsync(id, offset, data, CancellationToken.None);
                break;
            default:
                await using (var stream = store.Open(id, writable: true))
                {
                    stream.Position = offset;
                    await stream.WriteAsync(data, CancellationToken.None);
                }

                break;
        }

        data.CopyTo(disk.Content, offset);
        for (var sub = offset / Cbt; sub <= (offset + length - 1) / Cbt; sub++)
        {
            disk.DirtySinceBranch.Add(sub);
            disk.DirtySinceCreation.Add(sub);
        }
    }

    private static async Task ReadAndCompareAsync(SparseDiskStore store, Random random, ModelDisk disk, string id)
    {
        var size = disk.Content.Length;
        var offset = random.Next(size + 10);
        var buffer = new byte[random.Next(1, 3 * Cbt)];
        var expectedCount = Math.Max(0, Math.Min(buffer.Length, size - offset));
        int read;
        switch (random.Next(3))
        {
            case 0:
                read = store.Read(id, offset, buffer);
                break;
            case 1:
                read = await store.ReadAsync(id, offset, buffer, CancellationToken.None);
                break;
            default:
                await using (var stream = store.Open(id, writable: false))
                {
                    stream.Position = offset;
                    read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, CancellationToken.None);
                }

                break;
        }

        read.ShouldBe(expectedCount);
        buffer.AsSpan(0, read).SequenceEqual(disk.Content.AsSpan(Math.Min(offset, size), read)).ShouldBeTrue($"read of {id} at {offset}");
    }

    private static void CheckAllocation(SparseDiskStore store, ModelDisk disk, string id)
    {
        var content = disk.Content;
        var inExtent = new bool[content.Length];
        long total = 0;
        long previousEnd = -1;
        foreach (var (offset, length) in store.GetAllocatedExtents(id))
        {
            offset.ShouldBeGreaterThan(previousEnd);
            Array.Fill(inExtent, true, (int)offset, (int)length);
            total += length;
            previousEnd = offset + length;
        }

        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != 0 && !inExtent[i])
            {
                Assert.Fail($"Non-zero byte at {i} outside every extent of {id}");
            }
        }

        store.GetPhysicalUtilisation(id).ShouldBe(total);
        var perSubBlock = store.GetAllocatedBlocks(id, Cbt);
        for (var sub = 0; sub < perSubBlock.Length; sub++)
        {
            perSubBlock[sub].ShouldBe(inExtent[sub * Cbt]);
        }

        var perBlock = store.GetAllocatedBlocks(id, Block);
        for (var block = 0; block < perBlock.Length; block++)
        {
            var any = perSubBlock.Skip(block * DiskBlockSizes.CbtBlocksPerVhdBlock).Take(DiskBlockSizes.CbtBlocksPerVhdBlock).Any(b => b);
            perBlock[block].ShouldBe(any);
        }
    }

    private static void CheckChangedBlocksCoverDifferences(SparseDiskStore store, Dictionary<string, ModelDisk> model, string fromId, string toId)
    {
        var from = model[fromId].Content;
        var to = model[toId].Content;
        if (from.Length != to.Length)
        {
            return;
        }

        var changed = store.GetChangedBlocks(fromId, toId);
        var differing = store.GetDifferingBlocks(fromId, toId, Block);
        for (var sub = 0; sub < changed.Length; sub++)
        {
            var start = sub * Cbt;
            var length = Math.Min(Cbt, to.Length - start);
            if (!from.AsSpan(start, length).SequenceEqual(to.AsSpan(start, length)))
            {
                changed[sub].ShouldBeTrue($"sub-block {sub} differs between {fromId} and {toId}");
                differing[sub / DiskBlockSizes.CbtBlocksPerVhdBlock].ShouldBeTrue();
            }
        }

        if (fromId == toId)
        {
            changed.ShouldAllBe(c => !c);
        }
    }

    private sealed class ModelDisk(byte[] content)
    {
        public byte[] Content { get; } = content;

        public string? LastBranch { get; set; }

        public HashSet<long> DirtySinceBranch { get; } = [];

        public HashSet<long> DirtySinceCreation { get; } = [];
    }
}
