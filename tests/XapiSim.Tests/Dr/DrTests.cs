using System.Net;
using XapiSim.Model.Dr;
using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

public sealed class DrTests : IDisposable
{
    private const string SrUuid = "7a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
    private const string DiskUuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    private const string LocalSr = """, { "name_label": "Local", "type": "ext", "size": "10GiB" }""";

    private readonly string folder = Directory.CreateTempSubdirectory("dr-sr-").FullName;

    private static string WebVm => $$"""{ "name_label": "web", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ], "vifs": [ { "device": "0" } ] }""";

    [Fact]
    public async Task Enabling_replication_creates_the_metadata_VDI_in_the_shared_folder_holding_this_pools_database()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, WebVm));
        var db = a.Simulator.Database;
        var sr = db.FindByUuid("SR", SrUuid)!;
        await a.CallAsync("SR.enable_database_replication", sr);

        var vdi = DrCalls.MetadataVdi(a).ShouldNotBeNull();
        db.GetString("VDI", vdi, "SR").ShouldBe(sr);
        db.GetString("VDI", vdi, "metadata_of_pool").ShouldBe(a.Simulator.Pool.PoolRef);
        ((bool)db.Get("VDI", vdi, "metadata_latest")).ShouldBeTrue();
        ((long)db.Get("VDI", vdi, "virtual_size")).ShouldBe(MetadataVdiContent.VirtualSize);
        File.Exists(Path.Combine(folder, a.Uuid("VDI", vdi) + ".vdi")).ShouldBeTrue();
        (await a.CallAsync("VDI.read_database_pool_uuid", vdi)).ShouldBe(a.Uuid("pool", a.Simulator.Pool.PoolRef));

        // Enabling again reuses the VDI.
        await a.CallAsync("SR.enable_database_replication", sr);
        db.Where("VDI", r => (string)r["type"] == "metadata").Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_non_shared_SR_cannot_replicate_and_a_user_VDI_is_not_a_database()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, WebVm, LocalSr));
        var local = a.Simulator.Database.FindByNameLabel("SR", "Local").Single();
        var failure = await Should.ThrowAsync<XenApiFailure>(() => a.CallAsync("SR.enable_database_replication", local));
        failure.Code.ShouldBe("SR_OPERATION_NOT_SUPPORTED");
        failure.Parameters.ShouldBe([local]);
        (await Should.ThrowAsync<XenApiFailure>(() => a.CallAsync("SR.assert_supports_database_replication", local))).Code.ShouldBe("SR_OPERATION_NOT_SUPPORTED");

        var user = a.FirstDiskVdi("web");
        var wrongType = await Should.ThrowAsync<XenApiFailure>(() => a.CallAsync("VDI.open_database", user));
        wrongType.Code.ShouldBe("VDI_INCOMPATIBLE_TYPE");
        wrongType.Parameters.ShouldBe([user, a.Simulator.Database.GetString("VDI", user, "type")]);
    }

    [Fact]
    public async Task The_replica_follows_changes_and_disabling_destroys_the_metadata_VDI_as_xapi_does()
    {
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, WebVm));
        var sr = a.Simulator.Database.FindByUuid("SR", SrUuid)!;
        await a.CallAsync("SR.enable_database_replication", sr);
        var vdi = DrCalls.MetadataVdi(a)!;
        a.Simulator.Database.Set("VM", a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "name_description", "changed after enable");
        await WaitUntilAsync(async () => (await ReplicaVmsAsync(a, vdi)).Any(r => (string)r["name_description"] == "changed after enable"));

        var file = Path.Combine(folder, a.Uuid("VDI", vdi) + ".vdi");
        File.Exists(file).ShouldBeTrue();
        await a.CallAsync("SR.disable_database_replication", sr);
        a.Simulator.Database.Set("VM", a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "name_description", "changed after disable");
        await Task.Delay(DatabaseReplication.Debounce * 5);
        a.Simulator.Database.Exists(vdi, "VDI").ShouldBeFalse("xapi_sr.disable_database_replication destroys this pool's metadata VDIs");
        File.Exists(file).ShouldBeFalse("the VDI's file goes with it");
        DrCalls.MetadataVdi(a).ShouldBeNull();
    }

    [Fact]
    public async Task Pool_B_opens_pool_As_replicated_database_and_recovers_its_VM_with_the_same_uuid_and_disk()
    {
        string poolUuidA;
        string vmUuid;
        string networkName;
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, WebVm)))
        {
            await a.CallAsync("SR.enable_database_replication", a.Simulator.Database.FindByUuid("SR", SrUuid)!);
            poolUuidA = a.Uuid("pool", a.Simulator.Pool.PoolRef);
            var vm = a.Simulator.Database.FindByNameLabel("VM", "web").Single();
            vmUuid = a.Uuid("VM", vm);
            var vif = a.Simulator.Database.GetStrings("VM", vm, "VIFs").ShouldHaveSingleItem();
            networkName = a.Simulator.Database.GetString("network", a.Simulator.Database.GetString("VIF", vif, "network"), "name_label");
        }

        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var metadata = DrCalls.MetadataVdi(b).ShouldNotBeNull("B introduces the metadata VDI from the shared folder");
        b.Uuid("pool", b.Simulator.Pool.PoolRef).ShouldNotBe(poolUuidA);
        (await b.CallAsync("VDI.read_database_pool_uuid", metadata)).ShouldBe(poolUuidA);

        var dbSession = (string)await b.CallAsync("VDI.open_database", metadata);
        var records = (IReadOnlyDictionary<string, object>)await DrCalls.CallWithAsync(b, dbSession, "VM.get_all_records");
        var (foreignVm, record) = records.Select(kv => (kv.Key, (IReadOnlyDictionary<string, object>)kv.Value)).Single(kv => (string)kv.Item2["name_label"] == "web");
        record["uuid"].ShouldBe(vmUuid);
        b.Simulator.Database.Exists(foreignVm).ShouldBeFalse("the ref belongs to A's database");
        (await DrCalls.CallWithAsync(b, dbSession, "VM.get_name_label", foreignVm)).ShouldBe("web");
        ((IReadOnlyList<object>)await DrCalls.CallWithAsync(b, dbSession, "VM.get_SRs_required_for_recovery", foreignVm, b.Session)).ShouldBeEmpty();
        ((IReadOnlyDictionary<string, object>)await b.CallAsync("VM.get_all_records")).Values
            .ShouldNotContain(v => (string)((IReadOnlyDictionary<string, object>)v)["uuid"] == vmUuid);

        await DrCalls.CallWithAsync(b, dbSession, "VM.recover", foreignVm, b.Session, false);
        var db = b.Simulator.Database;
        var recovered = db.FindByUuid("VM", vmUuid).ShouldNotBeNull();
        db.GetString("VM", recovered, "name_label").ShouldBe("web");
        db.GetString("VM", recovered, "power_state").ShouldBe("Halted");
        var disk = db.GetStrings("VM", recovered, "VBDs").Select(vbd => db.GetString("VBD", vbd, "VDI")).ShouldHaveSingleItem();
        disk.ShouldBe(b.VdiByUuid(DiskUuid));
        var vifOnB = db.GetStrings("VM", recovered, "VIFs").ShouldHaveSingleItem();
        db.GetString("network", db.GetString("VIF", vifOnB, "network"), "name_label").ShouldBe(networkName);

        var duplicate = await Should.ThrowAsync<XenApiFailure>(() => DrCalls.CallWithAsync(b, dbSession, "VM.recover", foreignVm, b.Session, false));
        duplicate.Code.ShouldBe("VM_TO_IMPORT_IS_NOT_NEWER_VERSION");
        duplicate.Parameters.ShouldBe([recovered, "1", "0"]);
        await DrCalls.CallWithAsync(b, dbSession, "VM.recover", foreignVm, b.Session, true);
        db.Where("VM", r => (string)r["uuid"] == vmUuid).Count.ShouldBe(1);
        db.Exists(recovered).ShouldBeFalse("force replaces the existing copy");
        db.GetStrings("VDI", b.VdiByUuid(DiskUuid)!, "VBDs").ShouldHaveSingleItem();

        await DrCalls.CallWithAsync(b, dbSession, "session.logout");
        var afterLogout = (IReadOnlyDictionary<string, object>)await b.CallAsync("VM.get_all_records");
        afterLogout.ContainsKey(db.FindByUuid("VM", vmUuid)!).ShouldBeTrue("a normal session reads the live database");
        (await Should.ThrowAsync<XenApiFailure>(() => DrCalls.CallWithAsync(b, dbSession, "VM.get_all_records"))).Code.ShouldBe("SESSION_INVALID");
    }

    [Fact]
    public async Task Recovering_a_VM_whose_disk_is_gone_fails_with_VDI_LOCATION_MISSING()
    {
        await using (var a = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, WebVm)))
        {
            await a.CallAsync("SR.enable_database_replication", a.Simulator.Database.FindByUuid("SR", SrUuid)!);
        }

        File.Delete(Path.Combine(folder, DiskUuid + ".vdi"));
        File.Delete(Path.Combine(folder, DiskUuid + ".json"));
        await using var b = await SharedPool.StartAsync(SharedPool.PoolJson(SrUuid, folder, string.Empty));
        var dbSession = (string)await b.CallAsync("VDI.open_database", DrCalls.MetadataVdi(b)!);
        var foreignVm = ((IReadOnlyList<object>)await DrCalls.CallWithAsync(b, dbSession, "VM.get_by_name_label", "web")).ShouldHaveSingleItem();
        var failure = await Should.ThrowAsync<XenApiFailure>(() => DrCalls.CallWithAsync(b, dbSession, "VM.recover", foreignVm, b.Session, false));
        failure.Code.ShouldBe("VDI_LOCATION_MISSING");
        failure.Parameters.ShouldBe([b.Simulator.Database.FindByUuid("SR", SrUuid)!, DiskUuid]);
        b.Simulator.Database.FindByNameLabel("VM", "web").ShouldBeEmpty();
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

    private static async Task<List<IReadOnlyDictionary<string, object>>> ReplicaVmsAsync(SharedPool pool, string vdi)
    {
        var session = (string)await pool.CallAsync("VDI.open_database", vdi);
        var records = (IReadOnlyDictionary<string, object>)await DrCalls.CallWithAsync(pool, session, "VM.get_all_records");
        await DrCalls.CallWithAsync(pool, session, "session.logout");
        return records.Values.Cast<IReadOnlyDictionary<string, object>>().ToList();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, "the replica did not catch up");
            await Task.Delay(50);
        }
    }
}
