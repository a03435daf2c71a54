using XapiSim.Storage;

namespace XapiSim.Tests.Storage;

/// <summary><see cref="ISharedDiskStore.CopyToShared"/>: a point-in-time, sparse copy of any disk into a shared folder.</summary>
public sealed class SharedCopyTests : IDisposable
{
    private const int Cbt = DiskBlockSizes.CbtBlock;
    private const long Size = 4L << 20;
    private readonly StoreFixture fixture = new();
    private readonly string folder = Directory.CreateTempSubdirectory("shared-copy-").FullName;

    private SparseDiskStore Store => fixture.Store;

    public void Dispose()
    {
        fixture.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_copy_of_a_private_disk_holds_only_its_non_zero_blocks_and_ignores_later_writes()
    {
        var disk = Store.CreateEmpty(Size);
        Store.Write(disk, 0, new byte[Cbt]);
        Store.Write(disk, (1 << 20) + 10, Filled(100, 7));
        Store.Write(disk, Size - 3, Filled(3, 8));
        var before = ReadAll(disk);
        var info = new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size, IsASnapshot = true };

        var copy = Store.CopyToShared(disk, folder, info);
        Store.Write(disk, 1 << 20, Filled(Cbt, 9));

        Store.IsShared(copy).ShouldBeTrue();
        ReadAll(copy).AsSpan().SequenceEqual(before).ShouldBeTrue();
        Store.GetAllocatedExtents(copy).ShouldBe([(1L << 20, (long)Cbt), (Size - Cbt, (long)Cbt)]);
        SharedVdiInfo.TryRead(folder, info.Uuid).ShouldNotBeNull().IsASnapshot.ShouldBeTrue();
    }

    [Fact]
    public void A_copy_of_a_shared_disk_is_a_second_file_with_its_bytes_at_the_call()
    {
        var source = Store.CreateShared(folder, new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size, Fill = 0.5, Seed = 4 });
        var before = ReadAll(source);
        var uuid = Guid.NewGuid().ToString("D");

        var copy = Store.CopyToShared(source, folder, new SharedVdiInfo { Uuid = uuid, VirtualSize = Size });
        Store.Write(source, 0, Filled(Cbt, 1));

        ReadAll(copy).AsSpan().SequenceEqual(before).ShouldBeTrue();
        ReadAll(source).AsSpan().SequenceEqual(before).ShouldBeFalse();
        File.Exists(Path.Combine(folder, uuid + ".vdi")).ShouldBeTrue();
        Store.Destroy(copy);
        File.Exists(Path.Combine(folder, uuid + ".vdi")).ShouldBeFalse();
        File.Exists(Path.Combine(folder, uuid + ".json")).ShouldBeFalse();
    }

    [Fact]
    public void A_copy_onto_an_existing_VDI_or_of_another_size_fails_and_leaves_the_folder_as_it_was()
    {
        var uuid = Guid.NewGuid().ToString("D");
        var source = Store.CreateShared(folder, new SharedVdiInfo { Uuid = uuid, VirtualSize = Size });
        Store.Write(source, 0, Filled(10, 3));
        var files = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToList();

        Should.Throw<IOException>(() => Store.CopyToShared(source, folder, new SharedVdiInfo { Uuid = uuid, VirtualSize = Size }));
        Should.Throw<ArgumentException>(() => Store.CopyToShared(source, folder, new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size * 2 }));
        Should.Throw<KeyNotFoundException>(() => Store.CopyToShared("no-such-disk", folder, new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size }));

        Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ShouldBe(files);
        ReadAll(source)[..10].ShouldAllBe(b => b == 3);
    }

    [Fact]
    public void Differing_blocks_against_a_shared_copy_are_the_blocks_written_since()
    {
        var source = Store.CreateShared(folder, new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size, Fill = 1, Seed = 6 });
        var copy = Store.CopyToShared(source, folder, new SharedVdiInfo { Uuid = Guid.NewGuid().ToString("D"), VirtualSize = Size, IsASnapshot = true });
        Store.GetDifferingBlocks(copy, source, Cbt).ShouldAllBe(changed => !changed);

        Store.Write(source, (2 << 20) + 5, Filled(100, 0xEE));

        var changed = Store.GetChangedBlocks(copy, source);
        changed.Length.ShouldBe((int)(Size / Cbt));
        Enumerable.Range(0, changed.Length).Where(i => changed[i]).ShouldBe([(2 << 20) / Cbt]);
        Store.GetDifferingBlocks(copy, source, DiskBlockSizes.VhdBlock).ShouldBe([false, true]);
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private byte[] ReadAll(string disk)
    {
        var data = new byte[Store.GetVirtualSize(disk)];
        Store.Read(disk, 0, data).ShouldBe(data.Length);
        return data;
    }
}
