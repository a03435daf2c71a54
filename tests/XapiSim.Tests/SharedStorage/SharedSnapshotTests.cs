using XapiSim.Storage;

namespace XapiSim.Tests.SharedStorage;

/// <summary>Snapshots, clones and copies on a shared (replicated) SR live in its folder, like the VDIs they copy.</summary>
public sealed class SharedSnapshotTests : IDisposable
{
    private const string SrUuid = "8d2e4f60-1a3b-4c5d-9e6f-7a8b9c0d1e2f";
    private const string DiskUuid = "9e3f5a71-2b4c-4d6e-8f70-8b9c0d1e2f3a";
    private const string LocalSr = """, { "name_label": "Local", "type": "ext", "size": "10GiB" }""";

    private readonly string folder = Directory.CreateTempSubdirectory("shared-snap-").FullName;

    private static string Src => $$"""{ "name_label": "src", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB", "fill": 0.5, "seed": 3 } ] }""";

    [Fact]
    public async Task A_VM_snapshot_on_the_shared_SR_is_a_file_with_sidecar_holding_the_point_in_time_bytes()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, Src));
        var db = a.Simulator.Database;
        var disks = a.Simulator.Pool.Disks;
        var vdi = a.FirstDiskVdi("src");
        disks.Write(a.Simulator.Pool.DiskOf(vdi)!, 1 << 20, Enumerable.Repeat((byte)0x11, 100_000).ToArray());
        var atSnapshot = await a.RawSha256Async(vdi);
        var usedAtSnapshot = disks.GetPhysicalUtilisation(a.Simulator.Pool.DiskOf(vdi)!);

        var snapshotVm = (string)await a.CallAsync("VM.snapshot", db.FindByNameLabel("VM", "src").Single(), "src-snap", new List<object>());
        disks.Write(a.Simulator.Pool.DiskOf(vdi)!, 0, Enumerable.Repeat((byte)0x22, 70_000).ToArray());
        disks.Write(a.Simulator.Pool.DiskOf(vdi)!, 7 << 20, Enumerable.Repeat((byte)0x33, 70_000).ToArray());

        var snapshot = a.FirstDiskVdi("src-snap");
        db.GetStrings("VM", snapshotVm, "VBDs").Select(vbd => db.GetString("VBD", vbd, "VDI")).ShouldContain(snapshot);
        var uuid = a.Uuid("VDI", snapshot);
        ((ISharedDiskStore)disks).IsShared(a.Simulator.Pool.DiskOf(snapshot)!).ShouldBeTrue();
        db.GetString("VDI", snapshot, "location").ShouldBe(uuid);
        File.Exists(Path.Combine(folder, uuid + ".vdi")).ShouldBeTrue();
        var sidecar = SharedVdiInfo.TryRead(folder, uuid).ShouldNotBeNull();
        sidecar.IsASnapshot.ShouldBeTrue();
        sidecar.SnapshotOf.ShouldBe(DiskUuid);
        sidecar.SnapshotTime.ShouldBe((DateTime)db.Get("VDI", snapshot, "snapshot_time"));
        sidecar.VirtualSize.ShouldBe(8L << 20);
        sidecar.Type.ShouldBe("system");
        sidecar.NameLabel.ShouldBe(db.GetString("VDI", vdi, "name_label"));

        (await a.RawSha256Async(snapshot)).ShouldBe(atSnapshot);
        (await a.RawSha256Async(vdi)).ShouldNotBe(atSnapshot);
        disks.GetPhysicalUtilisation(a.Simulator.Pool.DiskOf(snapshot)!).ShouldBe(usedAtSnapshot, "the copy holds the same non-zero blocks, no more");
    }

    [Fact]
    public async Task Another_pool_on_the_folder_introduces_the_snapshot_at_SR_scan_as_a_snapshot_of_its_VDI()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, Src));
        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var snapshotOnA = (string)await a.CallAsync("VDI.snapshot", a.FirstDiskVdi("src"), new Dictionary<string, object>());
        var uuid = a.Uuid("VDI", snapshotOnA);
        b.VdiByUuid(uuid).ShouldBeNull("B sees the new VDI at its next scan");

        await b.CallAsync("SR.scan", b.Simulator.Database.FindByUuid("SR", SrUuid)!);

        var db = b.Simulator.Database;
        var onB = b.VdiByUuid(uuid).ShouldNotBeNull();
        var baseOnB = b.VdiByUuid(DiskUuid)!;
        ((bool)db.Get("VDI", onB, "is_a_snapshot")).ShouldBeTrue();
        db.GetString("VDI", onB, "snapshot_of").ShouldBe(baseOnB);
        db.GetStrings("VDI", baseOnB, "snapshots").ShouldBe([onB]);
        db.Get("VDI", onB, "snapshot_time").ShouldBe(a.Simulator.Database.Get("VDI", snapshotOnA, "snapshot_time"));
        db.GetString("VDI", onB, "location").ShouldBe(uuid);
        (await b.RawSha256Async(onB)).ShouldBe(await a.RawSha256Async(snapshotOnA));
    }

    [Fact]
    public async Task Destroying_a_snapshot_VDI_deletes_its_files()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, Src));
        var before = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToList();
        var snapshot = (string)await a.CallAsync("VDI.snapshot", a.FirstDiskVdi("src"), new Dictionary<string, object>());
        Directory.EnumerateFiles(folder).Count().ShouldBe(before.Count + 2);

        await a.CallAsync("VDI.destroy", snapshot);

        Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ShouldBe(before);
    }

    [Fact]
    public async Task A_snapshot_on_a_local_SR_stays_private_and_VM_copy_and_clone_follow_the_target_SR()
    {
        var vms = Src + """, { "name_label": "local", "disks": [ { "size": "8MiB", "fill": 0.25, "seed": 5, "sr": "Local" } ] }""";
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, vms, LocalSr));
        var db = a.Simulator.Database;
        var store = (ISharedDiskStore)a.Simulator.Pool.Disks;
        var sharedSr = db.FindByUuid("SR", SrUuid)!;
        var localSr = db.FindByNameLabel("SR", "Local").Single();
        var files = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ToList();

        await a.CallAsync("VM.snapshot", db.FindByNameLabel("VM", "local").Single(), "local-snap", new List<object>());
        var localSnapshot = a.FirstDiskVdi("local-snap");
        store.IsShared(a.Simulator.Pool.DiskOf(localSnapshot)!).ShouldBeFalse();
        Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).ShouldBe(files); // A snapshot on a local SR leaves the folder alone.

        await a.CallAsync("VM.copy", db.FindByNameLabel("VM", "local").Single(), "local-to-shared", sharedSr);
        var copied = a.FirstDiskVdi("local-to-shared");
        db.GetString("VDI", copied, "SR").ShouldBe(sharedSr);
        store.IsShared(a.Simulator.Pool.DiskOf(copied)!).ShouldBeTrue();
        SharedVdiInfo.TryRead(folder, a.Uuid("VDI", copied)).ShouldNotBeNull().IsASnapshot.ShouldBeFalse();
        (await a.RawSha256Async(copied)).ShouldBe(await a.RawSha256Async(a.FirstDiskVdi("local")));

        await a.CallAsync("VM.clone", db.FindByNameLabel("VM", "src").Single(), "src-clone");
        var clone = a.FirstDiskVdi("src-clone");
        store.IsShared(a.Simulator.Pool.DiskOf(clone)!).ShouldBeTrue();
        File.Exists(Path.Combine(folder, a.Uuid("VDI", clone) + ".json")).ShouldBeTrue();

        await a.CallAsync("VM.copy", db.FindByNameLabel("VM", "src").Single(), "shared-to-local", localSr);
        var toLocal = a.FirstDiskVdi("shared-to-local");
        store.IsShared(a.Simulator.Pool.DiskOf(toLocal)!).ShouldBeFalse();
        File.Exists(Path.Combine(folder, a.Uuid("VDI", toLocal) + ".vdi")).ShouldBeFalse();
        (await a.RawSha256Async(toLocal)).ShouldBe(await a.RawSha256Async(a.FirstDiskVdi("src")));
    }

    [Fact]
    public async Task VDI_copy_makes_a_file_on_the_shared_SR_and_copies_into_a_VDI_only_what_changed_since_a_base()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, Src, LocalSr));
        var db = a.Simulator.Database;
        var store = (ISharedDiskStore)a.Simulator.Pool.Disks;
        var sharedSr = db.FindByUuid("SR", SrUuid)!;
        var localSr = db.FindByNameLabel("SR", "Local").Single();
        var vdi = a.FirstDiskVdi("src");

        var onShared = (string)await a.CallAsync("VDI.copy", vdi, sharedSr, "OpaqueRef:NULL", "OpaqueRef:NULL");
        var onLocal = (string)await a.CallAsync("VDI.copy", vdi, localSr, "OpaqueRef:NULL", "OpaqueRef:NULL");

        store.IsShared(a.Simulator.Pool.DiskOf(onShared)!).ShouldBeTrue();
        SharedVdiInfo.TryRead(folder, a.Uuid("VDI", onShared)).ShouldNotBeNull().IsASnapshot.ShouldBeFalse();
        store.IsShared(a.Simulator.Pool.DiskOf(onLocal)!).ShouldBeFalse();
        db.GetString("VDI", onLocal, "name_label").ShouldBe(db.GetString("VDI", vdi, "name_label"));
        (await a.RawSha256Async(onShared)).ShouldBe(await a.RawSha256Async(vdi));
        (await a.RawSha256Async(onLocal)).ShouldBe(await a.RawSha256Async(vdi));

        var snapshot = (string)await a.CallAsync("VDI.snapshot", vdi, new Dictionary<string, object>());
        a.Simulator.Pool.Disks.Write(a.Simulator.Pool.DiskOf(vdi)!, (2 << 20) + 1, Enumerable.Repeat((byte)0x66, 5000).ToArray());
        (await a.CallAsync("VDI.copy", vdi, "OpaqueRef:NULL", snapshot, onLocal)).ShouldBe(onLocal);
        (await a.RawSha256Async(onLocal)).ShouldBe(await a.RawSha256Async(vdi));

        var small = (string)await a.CallAsync("VDI.create", new Dictionary<string, object> { ["SR"] = localSr, ["virtual_size"] = 1L << 20, ["type"] = "user" });
        var failure = await Should.ThrowAsync<XapiSim.Rpc.XenApiFailure>(() => a.CallAsync("VDI.copy", vdi, "OpaqueRef:NULL", "OpaqueRef:NULL", small));
        failure.Code.ShouldBe("VDI_TOO_SMALL");
    }

    [Fact]
    public async Task The_suspend_image_of_a_VM_suspended_onto_the_shared_SR_is_a_file_in_the_folder()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, """{ "name_label": "run", "power_state": "Running", "memory": "64MiB" }"""));
        var db = a.Simulator.Database;
        var vm = db.FindByNameLabel("VM", "run").Single();

        await a.CallAsync("VM.suspend", vm);

        var suspend = db.GetString("VM", vm, "suspend_VDI");
        db.GetString("VDI", suspend, "SR").ShouldBe(db.FindByUuid("SR", SrUuid));
        SharedVdiInfo.TryRead(folder, a.Uuid("VDI", suspend)).ShouldNotBeNull().Type.ShouldBe("suspend");
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
