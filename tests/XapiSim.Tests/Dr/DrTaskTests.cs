using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

public sealed class DrTaskTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dr-lun-").FullName;

    [Fact]
    public async Task DR_task_create_introduces_the_replicated_SR_with_its_VDIs_and_destroy_forgets_it_keeping_the_files()
    {
        var poolA = await ReplicateFromPrimaryAsync();

        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        var db = b.Simulator.Database;
        db.FindByUuid("SR", DrSites.SrUuid).ShouldBeNull("B does not know the SR before DR_task.create");
        var srsBefore = db.GetAll("SR").Order().ToList();
        var vdisBefore = db.GetAll("VDI").Order().ToList();
        var pbdsBefore = db.GetAll("PBD").Order().ToList();
        var filesBefore = DrSites.Files(folder);

        var task = (string)await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });

        var sr = db.FindByUuid("SR", DrSites.SrUuid).ShouldNotBeNull();
        db.GetStrings("DR_task", task, "introduced_SRs").ShouldBe([sr]);
        db.GetString("SR", sr, "introduced_by").ShouldBe(task);
        db.GetString("SR", sr, "name_label").ShouldBe("Replicated");
        db.GetString("SR", sr, "name_description").ShouldBe("LUN replicated to the DR site");
        db.GetString("SR", sr, "type").ShouldBe("lvmoiscsi");
        db.GetString("SR", sr, "content_type").ShouldBe(string.Empty);
        ((bool)db.Get("SR", sr, "shared")).ShouldBeTrue();
        var pbds = db.GetStrings("SR", sr, "PBDs");
        pbds.Select(p => db.GetString("PBD", p, "host")).Order().ShouldBe(db.GetAll("host").Order());
        pbds.ShouldAllBe(p => (bool)db.Get("PBD", p, "currently_attached"));
        ((IReadOnlyDictionary<string, object>)db.Get("PBD", pbds[0], "device_config"))["SCSIid"].ShouldBe(DrSites.ScsiId);

        var disk = b.VdiByUuid(DrSites.DiskUuid).ShouldNotBeNull("the VM's disk is introduced with its uuid");
        db.GetString("VDI", disk, "SR").ShouldBe(sr);
        var metadata = db.Where("VDI", r => (string)r["type"] == "metadata").ShouldHaveSingleItem();
        db.GetString("VDI", metadata, "SR").ShouldBe(sr);
        db.GetString("VDI", metadata, "metadata_of_pool").ShouldBe(poolA, "a foreign pool's metadata VDI names that pool's ref");
        ((bool)db.Get("VDI", metadata, "metadata_latest")).ShouldBeTrue();

        var dbSession = (string)await b.CallAsync("VDI.open_database", metadata);
        var vms = (IReadOnlyList<object>)await DrCalls.CallWithAsync(b, dbSession, "VM.get_by_name_label", "web");
        vms.ShouldHaveSingleItem();
        await DrCalls.CallWithAsync(b, dbSession, "session.logout");

        await b.CallAsync("DR_task.destroy", task);
        db.Exists(task).ShouldBeFalse();
        db.GetAll("SR").Order().ShouldBe(srsBefore);
        db.GetAll("VDI").Order().ShouldBe(vdisBefore);
        db.GetAll("PBD").Order().ShouldBe(pbdsBefore);
        DrSites.Files(folder).ShouldBe(filesBefore, "forgetting an SR never touches its storage");
    }

    [Fact]
    public async Task DR_task_create_leaves_SRs_outside_the_whitelist_and_already_known_SRs_alone()
    {
        await ReplicateFromPrimaryAsync();
        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        var db = b.Simulator.Database;
        var pbds = db.GetAll("PBD").Count;

        var empty = (string)await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { Guid.NewGuid().ToString("D") });
        db.GetStrings("DR_task", empty, "introduced_SRs").ShouldBeEmpty();
        db.FindByUuid("SR", DrSites.SrUuid).ShouldBeNull();

        // The probe finds the SR without a SCSIid, but SM cannot attach the LUN without one: the SR is cleaned up
        // and, as in xapi, the task made before the failure stays.
        var noLun = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(withScsiId: false), new List<object> { DrSites.SrUuid }));
        noLun.Code.ShouldBe("SR_BACKEND_FAILURE_107");
        db.FindByUuid("SR", DrSites.SrUuid).ShouldBeNull();
        db.GetAll("PBD").Count.ShouldBe(pbds);
        db.GetAll("DR_task").Count.ShouldBe(2);

        var first = (string)await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });
        var sr = db.FindByUuid("SR", DrSites.SrUuid).ShouldNotBeNull();
        var second = (string)await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });
        db.GetStrings("DR_task", second, "introduced_SRs").ShouldBeEmpty("an SR already introduced is left alone");
        db.GetString("SR", sr, "introduced_by").ShouldBe(first);

        await b.CallAsync("DR_task.destroy", second);
        db.Exists(sr).ShouldBeTrue("destroying a task forgets only the SRs it introduced");
        await b.CallAsync("DR_task.destroy", first);
        db.Exists(sr).ShouldBeFalse();
    }

    [Fact]
    public async Task DR_task_create_refuses_a_type_without_metadata_and_reports_SM_errors_for_a_wrong_target()
    {
        await ReplicateFromPrimaryAsync();
        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));

        var nfs = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("DR_task.create", "nfs", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid }));
        nfs.Code.ShouldBe("OPERATION_NOT_ALLOWED");
        nfs.Parameters.ShouldBe(["Disaster recovery not supported on SRs of type nfs"]);

        var wrongTarget = DrSites.DeviceConfig();
        wrongTarget["target"] = "192.0.2.99";
        var unreachable = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("DR_task.create", "lvmoiscsi", wrongTarget, new List<object> { DrSites.SrUuid }));
        unreachable.Code.ShouldBe("SR_BACKEND_FAILURE_141");
        unreachable.Parameters.ShouldBe([string.Empty, "Unable to connect to ISCSI service on target", string.Empty]);

        var wrongLun = DrSites.DeviceConfig();
        wrongLun["SCSIid"] = "36001405other";
        (await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("DR_task.create", "lvmoiscsi", wrongLun, new List<object> { DrSites.SrUuid }))).Code.ShouldBe("SR_BACKEND_FAILURE_107");

        b.Simulator.Database.GetAll("DR_task").ShouldBeEmpty("the probe fails before the task is made");
        b.Simulator.Database.FindByUuid("SR", DrSites.SrUuid).ShouldBeNull();
    }

    [Fact]
    public async Task SR_scan_introduces_VDIs_the_primary_creates_later_and_forgets_those_it_destroys()
    {
        await using var a = await SharedPool.StartAsync(DrSites.PrimaryJson(folder));
        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });
        var srOnB = b.Simulator.Database.FindByUuid("SR", DrSites.SrUuid)!;

        var created = (string)await a.CallAsync("VDI.create", new Dictionary<string, object>
        {
            ["name_label"] = "created later", ["SR"] = a.Simulator.Database.FindByUuid("SR", DrSites.SrUuid)!, ["virtual_size"] = 4L << 20, ["type"] = "user",
        });
        var uuid = a.Uuid("VDI", created);
        b.VdiByUuid(uuid).ShouldBeNull("B sees new files only when it scans");

        await b.CallAsync("SR.scan", srOnB);
        var onB = b.VdiByUuid(uuid).ShouldNotBeNull();
        b.Simulator.Database.GetString("VDI", onB, "name_label").ShouldBe("created later");
        b.Simulator.Database.GetString("VDI", onB, "SR").ShouldBe(srOnB);
        (await b.RawSha256Async(onB)).ShouldBe(await a.RawSha256Async(created));

        await a.CallAsync("VDI.destroy", created);
        await b.CallAsync("SR.scan", srOnB);
        b.VdiByUuid(uuid).ShouldBeNull("the record of a VDI whose files are gone is forgotten");
        b.VdiByUuid(DrSites.DiskUuid).ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_the_metadata_VDIs_with_the_highest_generation_of_a_pool_are_metadata_latest()
    {
        var poolA = await ReplicateFromPrimaryAsync();
        var original = Directory.EnumerateFiles(folder, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Single(u => u != DrSites.DiskUuid && Guid.TryParse(u, out _))!;
        var older = DrSites.CopyMetadataVdi(folder, original, 1);
        var newer = DrSites.CopyMetadataVdi(folder, original, long.MaxValue / 2);

        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        await b.CallAsync("DR_task.create", "lvmoiscsi", DrSites.DeviceConfig(), new List<object> { DrSites.SrUuid });
        var db = b.Simulator.Database;
        foreach (var uuid in new[] { original, older, newer })
        {
            db.GetString("VDI", b.VdiByUuid(uuid)!, "metadata_of_pool").ShouldBe(poolA);
        }

        ((bool)db.Get("VDI", b.VdiByUuid(newer)!, "metadata_latest")).ShouldBeTrue();
        ((bool)db.Get("VDI", b.VdiByUuid(original)!, "metadata_latest")).ShouldBeFalse();
        ((bool)db.Get("VDI", b.VdiByUuid(older)!, "metadata_latest")).ShouldBeFalse();

        // The newest replica disappears: a scan makes the next one the latest.
        File.Delete(Path.Combine(folder, newer + ".json"));
        File.Delete(Path.Combine(folder, newer + ".vdi"));
        await b.CallAsync("SR.scan", db.FindByUuid("SR", DrSites.SrUuid)!);
        b.VdiByUuid(newer).ShouldBeNull();
        ((bool)db.Get("VDI", b.VdiByUuid(original)!, "metadata_latest")).ShouldBeTrue();
        ((bool)db.Get("VDI", b.VdiByUuid(older)!, "metadata_latest")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_python_XML_RPC_client_runs_the_DR_storage_calls_end_to_end()
    {
        await ReplicateFromPrimaryAsync();
        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));

        var report = await ThirdParty.ThirdPartyClient.RunPythonScriptAsync(
            "dr_storage_client.py", b.Simulator.HttpUri.ToString(), "root", "secret", DrSites.Target, DrSites.TargetIqn, DrSites.ScsiId, DrSites.SrUuid);

        Strings(report.GetProperty("probedUuids")).ShouldBe([DrSites.SrUuid]);
        report.GetProperty("introducedCount").GetInt32().ShouldBe(1);
        report.GetProperty("srUuid").GetString().ShouldBe(DrSites.SrUuid);
        report.GetProperty("introducedByTask").GetBoolean().ShouldBeTrue();
        report.GetProperty("pbdsAttached").EnumerateArray().Select(e => e.GetBoolean()).ShouldBe([true, true]);
        report.GetProperty("metadataLatest").EnumerateArray().Select(e => e.GetBoolean()).ShouldBe([true]);
        Strings(report.GetProperty("replicatedVms")).ShouldBe(["web"]);
        Strings(report.GetProperty("forgetWhilePlugged"))[0].ShouldBe("SR_HAS_PBD");
        Strings(report.GetProperty("wrongType")).ShouldBe(["OPERATION_NOT_ALLOWED", "Disaster recovery not supported on SRs of type nfs"]);
        report.GetProperty("destroyStatus").GetString().ShouldBe("Success");
        Strings(report.GetProperty("srAfterDestroy")).ShouldBe(["UUID_INVALID", "SR", DrSites.SrUuid]);
        report.GetProperty("logoutStatus").GetString().ShouldBe("Success");
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

    private static List<string> Strings(System.Text.Json.JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Runs pool A until its database is replicated into the folder. Returns A's pool ref.</summary>
    private async Task<string> ReplicateFromPrimaryAsync()
    {
        await using var a = await SharedPool.StartAsync(DrSites.PrimaryJson(folder));
        await a.CallAsync("SR.enable_database_replication", a.Simulator.Database.FindByUuid("SR", DrSites.SrUuid)!);

        // Stopping the pool stops the writer after its write in progress (disabling would destroy the VDI, as xapi does).
        return a.Simulator.Pool.PoolRef;
    }
}
