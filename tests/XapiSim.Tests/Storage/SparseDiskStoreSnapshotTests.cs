using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

public sealed class SparseDiskStoreSnapshotTests : IDisposable
{
    private const int Block = DiskBlockSizes.VhdBlock;
    private const int Cbt = DiskBlockSizes.CbtBlock;
    private const long Size = 16L * Block;
    private readonly StoreFixture fixture = new();

    private SparseDiskStore Store => fixture.Store;

    public void Dispose() => fixture.Dispose();

    [Fact]
    public void Snapshot_IsIsolatedFromLaterWritesToTheSource()
    {
        var disk = Store.CreateGenerated(Size, 0.5, 1);
        var before = ReadAll(disk);
        var snapshot = Store.Snapshot(disk);
        fixture.LayerFiles().ShouldBeEmpty();

        Store.Write(disk, 3 * Cbt + 5, Filled(100_000, 0x5A));

        ReadAll(snapshot).AsSpan().SequenceEqual(before).ShouldBeTrue();
        ReadAll(disk).AsSpan().SequenceEqual(before).ShouldBeFalse();
    }

    [Fact]
    public void Snapshot_SourceIsIsolatedFromWritesToTheSnapshot()
    {
        var disk = Store.CreateGenerated(Size, 0.5, 2);
        Store.Write(disk, 0, Filled(Cbt, 1));
        var before = ReadAll(disk);
        var snapshot = Store.Snapshot(disk);

        Store.Write(snapshot, Block + 7, Filled(3, 9));

        ReadAll(disk).AsSpan().SequenceEqual(before).ShouldBeTrue();
        var expected = before.ToArray();
        Filled(3, 9).CopyTo(expected, Block + 7);
        ReadAll(snapshot).AsSpan().SequenceEqual(expected).ShouldBeTrue();
    }

    [Fact]
    public void Clone_IsAnIndependentWritableCopy()
    {
        var disk = Store.CreateEmpty(Size);
        Store.Write(disk, 100, Filled(10, 3));
        var clone = Store.Clone(disk);
        ReadAll(clone).AsSpan().SequenceEqual(ReadAll(disk)).ShouldBeTrue();

        Store.Write(clone, 100, Filled(5, 4));
        Store.Write(disk, 200, Filled(5, 6));
        var buffer = new byte[10];
        Store.Read(clone, 100, buffer);
        buffer.ShouldBe(new byte[] { 4, 4, 4, 4, 4, 3, 3, 3, 3, 3 });
        Store.Read(clone, 200, buffer);
        buffer.ShouldBe(new byte[10]);
        Store.Read(disk, 100, buffer);
        buffer.ShouldBe(Filled(10, 3));
    }

    [Fact]
    public void Destroy_DeletesLayerFilesNoLongerReferenced()
    {
        var disk = Store.CreateGenerated(Size, 0.5, 3);
        Store.Write(disk, 0, Filled(10, 1));
        var snapshot = Store.Snapshot(disk);
        Store.Write(disk, Cbt, Filled(10, 2));
        fixture.LayerFiles().Length.ShouldBe(2);

        Store.Destroy(snapshot);
        fixture.LayerFiles().Length.ShouldBe(2); // the frozen layer is still the disk's parent

        var snapshotContent = ReadAll(disk);
        Store.Destroy(disk);
        fixture.LayerFiles().ShouldBeEmpty();
        snapshotContent[0].ShouldBe((byte)1);
    }

    [Fact]
    public void Destroy_WhileStreamOpen_KeepsDataReadableUntilClosed()
    {
        var disk = Store.CreateEmpty(Size);
        Store.Write(disk, 0, Filled(Cbt, 7));
        using (var stream = Store.Open(disk, writable: false))
        {
            Store.Destroy(disk);
            fixture.LayerFiles().Length.ShouldBe(1);
            var buffer = new byte[Cbt];
            stream.ReadExactly(buffer);
            buffer.AsSpan().SequenceEqual(Filled(Cbt, 7)).ShouldBeTrue();
        }

        fixture.LayerFiles().ShouldBeEmpty();
    }

    [Fact]
    public void GetChangedBlocks_AfterSnapshotWriteSnapshot_IsExactlyTheWritten64KiBBlocks()
    {
        var disk = Store.CreateGenerated(Size, 0.7, 4);
        Store.Write(disk, 5 * Cbt, Filled(Cbt, 1)); // before the first snapshot: not a change
        var first = Store.Snapshot(disk);
        Store.Write(disk, (2 * Cbt) + 10, Filled(20, 1));          // block 2
        Store.Write(disk, (7 * Cbt) - 1, Filled(2, 1));            // blocks 6 and 7
        Store.Write(disk, 40 * Cbt, Filled(3 * Cbt, 1));           // blocks 40..42
        Store.Write(disk, (2 * Cbt) + 100, Filled(1, 2));          // block 2 again
        var second = Store.Snapshot(disk);
        Store.Write(disk, 100 * Cbt, Filled(10, 1));               // after the second snapshot: not a change

        var changed = Store.GetChangedBlocks(first, second);
        changed.Length.ShouldBe((int)(Size / Cbt));
        Indices(changed).ShouldBe([2, 6, 7, 40, 41, 42]);
        Indices(Store.GetChangedBlocks(second, first)).ShouldBe([2, 6, 7, 40, 41, 42]);
        Indices(Store.GetChangedBlocks(second, disk)).ShouldBe([100]);
        Indices(Store.GetChangedBlocks(first, first)).ShouldBeEmpty();
    }

    [Fact]
    public void GetChangedBlocks_SnapshotsWithoutWritesBetween_HaveNoChanges()
    {
        var disk = Store.CreateGenerated(Size, 0.5, 5);
        Store.Write(disk, 0, Filled(10, 1));
        var first = Store.Snapshot(disk);
        var second = Store.Snapshot(disk);
        Indices(Store.GetChangedBlocks(first, second)).ShouldBeEmpty();
    }

    [Fact]
    public void GetChangedBlocks_UnrelatedDisks_AreAllocatedEverywhereInEither()
    {
        var a = Store.CreateGenerated(Size, 0.5, 6);
        var b = Store.CreateEmpty(Size);
        Store.Write(b, 0, Filled(1, 1));
        var expected = Store.GetAllocatedBlocks(a, Cbt);
        expected[0] = true;
        Store.GetChangedBlocks(a, b).ShouldBe(expected);
    }

    [Fact]
    public void GetAllocatedBlocks_UnionOfGeneratedAndWrittenBlocks()
    {
        var disk = Store.CreateGenerated(Size, 0.25, 7);
        var generated = Enumerable.Range(0, 16).Select(b => DiskPattern.IsBlockAllocated(Size, 0.25, 7, b)).ToArray();
        Store.GetAllocatedBlocks(disk, Block).ShouldBe(generated);
        var firstFree = Array.IndexOf(generated, false);
        Store.Write(disk, ((long)firstFree * Block) + Block - 1, [1]);
        var snapshot = Store.Snapshot(disk);

        generated[firstFree] = true;
        Store.GetAllocatedBlocks(snapshot, Block).ShouldBe(generated);
        Store.GetAllocatedBlocks(disk, Block).ShouldBe(generated);
        var xvaChunks = Store.GetAllocatedBlocks(disk, 1024 * 1024);
        xvaChunks.Length.ShouldBe(32);
        xvaChunks[(2 * firstFree) + 1].ShouldBeTrue();
        xvaChunks[2 * firstFree].ShouldBeFalse();
        Store.GetPhysicalUtilisation(disk).ShouldBe((4L * Block) + Cbt);
    }

    [Fact]
    public void GetDifferingBlocks_IsSymmetricDifferenceOfChainsIn2MiBBlocks()
    {
        var disk = Store.CreateGenerated(Size, 0.5, 8);
        var baseSnapshot = Store.Snapshot(disk);
        Store.Write(disk, (3L * Block) + 5, Filled(10, 1));
        Store.Write(disk, (9L * Block) - 1, Filled(2, 1));
        var delta = Store.Snapshot(disk);

        Indices(Store.GetDifferingBlocks(baseSnapshot, delta, Block)).ShouldBe([3, 8, 9]);

        // Reverting: a clone of the base written elsewhere differs from the delta in both layers' blocks.
        var clone = Store.Clone(baseSnapshot);
        Store.Write(clone, 12L * Block, Filled(1, 1));
        Indices(Store.GetDifferingBlocks(delta, clone, Block)).ShouldBe([3, 8, 9, 12]);
        Should.Throw<ArgumentOutOfRangeException>(() => Store.GetDifferingBlocks(delta, clone, 1000));
    }

    private byte[] ReadAll(string id)
    {
        var all = new byte[Store.GetVirtualSize(id)];
        Store.Read(id, 0, all).ShouldBe(all.Length);
        return all;
    }

    private static int[] Indices(bool[] bits) => Enumerable.Range(0, bits.Length).Where(i => bits[i]).ToArray();

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }
}
