using System.Security.Cryptography;
using XapiSim.PoolFile;
using XapiSim.Storage;

namespace XapiSim.Tests.SharedStorage;

public sealed class SharedSrTests : IDisposable
{
    private const string SrUuid = "5f0c2a44-7a43-4c1e-9d6b-1a2b3c4d5e6f";
    private const string DiskUuid = "0b6d4c2e-1f3a-4e5b-8c7d-9e0f1a2b3c4d";
    private const long Size = 8L << 20;

    private readonly string folder = Directory.CreateTempSubdirectory("shared-sr-").FullName;

    [Fact]
    public async Task A_vdi_written_on_pool_A_appears_on_pool_B_with_the_same_uuid_size_and_bytes()
    {
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        var expected = new byte[Size];
        data.CopyTo(expected, 0);
        string shaOnA;
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, $$"""{ "name_label": "src", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB", "name_label": "data disk" } ] }""")))
        {
            var vdi = a.FirstDiskVdi("src");
            a.Uuid("VDI", vdi).ShouldBe(DiskUuid);
            await a.ImportRawAsync(vdi, data);
            shaOnA = await a.RawSha256Async(vdi);
            shaOnA.ShouldBe(Convert.ToHexString(SHA256.HashData(expected)));
            File.Exists(Path.Combine(folder, DiskUuid + ".vdi")).ShouldBeTrue();
            File.Exists(Path.Combine(folder, DiskUuid + ".json")).ShouldBeTrue();
        }

        // Pool A is gone; the LUN (folder) outlives it. Pool B introduces the VDI and a pool-file VM attaches it by uuid.
        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, $$"""{ "name_label": "dst", "disks": [ { "uuid": "{{DiskUuid}}" } ] }"""));
        var onB = b.VdiByUuid(DiskUuid).ShouldNotBeNull();
        b.FirstDiskVdi("dst").ShouldBe(onB);
        var db = b.Simulator.Database;
        db.GetString("VDI", onB, "name_label").ShouldBe("data disk");
        ((long)db.GetRecord("VDI", onB)["virtual_size"]).ShouldBe(Size);
        b.Uuid("SR", db.GetString("VDI", onB, "SR")).ShouldBe(SrUuid);
        (await b.RawSha256Async(onB)).ShouldBe(shaOnA);
    }

    [Fact]
    public async Task A_vdi_created_at_run_time_on_the_shared_SR_and_filled_by_an_import_is_seen_by_the_next_pool()
    {
        string uuid;
        string sha;
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty)))
        {
            var sr = a.Simulator.Database.FindByUuid("SR", SrUuid)!;
            var vdi = (string)await a.CallAsync("VDI.create", new Dictionary<string, object>
            {
                ["name_label"] = "created later", ["SR"] = sr, ["virtual_size"] = 4L << 20, ["type"] = "user",
            });
            uuid = a.Uuid("VDI", vdi);
            File.Exists(Path.Combine(folder, uuid + ".vdi")).ShouldBeTrue("a VDI of a shared SR lives in its folder");
            await a.ImportRawAsync(vdi, Enumerable.Range(0, 4 << 20).Select(i => (byte)(i * 7)).ToArray());
            sha = await a.RawSha256Async(vdi);
        }

        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var onB = b.VdiByUuid(uuid).ShouldNotBeNull();
        b.Simulator.Database.GetString("VDI", onB, "name_label").ShouldBe("created later");
        (await b.RawSha256Async(onB)).ShouldBe(sha);
    }

    [Fact]
    public async Task Two_running_pools_see_each_others_writes_and_a_pool_only_VDI_is_introduced_unattached()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, $$"""{ "name_label": "src", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ] }"""));
        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var onA = a.FirstDiskVdi("src");
        var onB = b.VdiByUuid(DiskUuid).ShouldNotBeNull();
        b.Simulator.Database.GetStrings("VDI", onB, "VBDs").ShouldBeEmpty();
        var diskA = a.Simulator.Pool.DiskOf(onA)!;
        var diskB = b.Simulator.Pool.DiskOf(onB)!;
        a.Simulator.Pool.Disks.Write(diskA, 5 << 20, Enumerable.Repeat((byte)0x5A, 70_000).ToArray());
        var read = new byte[70_000];
        b.Simulator.Pool.Disks.Read(diskB, 5 << 20, read).ShouldBe(read.Length);
        read.ShouldAllBe(x => x == 0x5A);
        b.Simulator.Pool.Disks.GetAllocatedExtents(diskB).ShouldBe([(5L << 20, 128L << 10)]);
        b.Simulator.Pool.Disks.Write(diskB, 0, [1, 2, 3]);
        (await a.RawSha256Async(onA)).ShouldBe(await b.RawSha256Async(onB));
    }

    [Fact]
    public async Task Destroying_a_shared_VDI_removes_its_files_and_disposing_a_pool_keeps_them()
    {
        await using (var creator = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, $$"""{ "name_label": "src", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ] }""")))
        {
            creator.VdiByUuid(DiskUuid).ShouldNotBeNull();
        }

        File.Exists(Path.Combine(folder, DiskUuid + ".vdi")).ShouldBeTrue();
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var vdi = a.VdiByUuid(DiskUuid).ShouldNotBeNull();
        await a.CallAsync("VDI.destroy", vdi);
        a.Simulator.Database.Exists(vdi, "VDI").ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ShouldBe([SharedSrIdentity.FileName], "only the SR's identity is left");
    }

    [Fact]
    public async Task Generated_content_on_a_shared_SR_matches_the_same_disk_on_a_private_SR_which_leaves_the_folder_alone()
    {
        var privateSr = """, { "name_label": "Local", "type": "ext" }""";
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(
            SrUuid,
            folder,
            """
            { "name_label": "shared", "disks": [ { "size": "16MiB", "fill": 0.5, "seed": 11 } ] },
            { "name_label": "local", "disks": [ { "size": "16MiB", "fill": 0.5, "seed": 11, "sr": "Local" } ] }
            """,
            privateSr));
        var shared = a.FirstDiskVdi("shared");
        var local = a.FirstDiskVdi("local");
        var disks = a.Simulator.Pool.Disks;
        ((ISharedDiskStore)disks).IsShared(a.Simulator.Pool.DiskOf(shared)!).ShouldBeTrue();
        ((ISharedDiskStore)disks).IsShared(a.Simulator.Pool.DiskOf(local)!).ShouldBeFalse();
        (await a.RawSha256Async(shared)).ShouldBe(await a.RawSha256Async(local));
        disks.GetAllocatedBlocks(a.Simulator.Pool.DiskOf(shared)!, 2 << 20).ShouldBe(disks.GetAllocatedBlocks(a.Simulator.Pool.DiskOf(local)!, 2 << 20));
        Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe([a.Uuid("VDI", shared) + ".json", a.Uuid("VDI", shared) + ".vdi", SharedSrIdentity.FileName]);
    }

    [Fact]
    public async Task Renaming_a_shared_VDI_updates_its_sidecar_so_the_next_pool_sees_the_new_names()
    {
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, $$"""{ "name_label": "src", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ] }""")))
        {
            var vdi = a.FirstDiskVdi("src");
            await a.CallAsync("VDI.set_name_label", vdi, "renamed");
            await a.CallAsync("VDI.set_name_description", vdi, "described");
            a.Simulator.Database.GetString("VDI", vdi, "name_label").ShouldBe("renamed");
        }

        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var onB = b.VdiByUuid(DiskUuid).ShouldNotBeNull();
        b.Simulator.Database.GetString("VDI", onB, "name_label").ShouldBe("renamed");
        b.Simulator.Database.GetString("VDI", onB, "name_description").ShouldBe("described");
    }

    [Theory]
    [InlineData("\"\"", "srs[0].shared_storage: not a folder path: \"\"")]
    [InlineData("42", "srs[0].shared_storage: expected a folder path")]
    [InlineData("\"FILE\"", "srs[0].shared_storage: \"FILE\" is a file, not a folder")]
    public void A_bad_shared_storage_is_a_one_line_pool_file_error_naming_the_entry(string value, string message)
    {
        var file = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(file, "x");
        var json = $$"""{ "srs": [ { "name_label": "S", "shared_storage": {{value.Replace("FILE", file, StringComparison.Ordinal)}} } ] }""";
        var error = Should.Throw<PoolFileException>(() => PoolFileParser.Parse(json));
        error.Message.ShouldBe(message.Replace("FILE", file, StringComparison.Ordinal));
        error.Message.ShouldNotContain('\n');
    }

    [Fact]
    public void Shared_storage_is_relative_to_the_pool_file_and_not_allowed_on_ISO_SRs_or_twice()
    {
        var poolFile = Path.Combine(folder, "pool.json");
        File.WriteAllText(poolFile, """{ "srs": [ { "name_label": "S", "shared_storage": "lun" } ] }""");
        PoolFileParser.Load(poolFile).Srs[0].SharedStorage.ShouldBe(Path.Combine(folder, "lun"));
        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "srs": [ { "name_label": "S" }, { "name_label": "I", "type": "iso", "shared_storage": "x" } ] }"""))
            .Message.ShouldBe("srs[1].shared_storage: an ISO SR cannot have shared storage");
        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "srs": [ { "name_label": "S", "shared_storage": "/x" }, { "name_label": "T", "shared_storage": "/x" } ] }"""))
            .Message.ShouldBe("srs[1].shared_storage: another SR of this pool uses the same folder");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
