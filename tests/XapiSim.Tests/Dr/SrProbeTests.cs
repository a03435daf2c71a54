using XapiSim.PoolFile;
using XapiSim.Rpc;
using XapiSim.Storage;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

public sealed class SrProbeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dr-probe-").FullName;

    [Fact]
    public async Task The_primary_records_its_SR_in_sr_json_and_a_metadata_probe_on_the_DR_site_lists_it()
    {
        await using (await SharedPool.StartAsync(DrSites.PrimaryJson(folder)))
        {
        }

        var identity = SharedSrIdentity.TryRead(folder).ShouldNotBeNull();
        identity.Uuid.ShouldBe(DrSites.SrUuid);
        identity.NameLabel.ShouldBe("Replicated");
        identity.Type.ShouldBe("lvmoiscsi");

        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        var master = b.Simulator.Pool.MasterRef;
        var metadata = new Dictionary<string, object> { ["metadata"] = "true" };
        var expected = $"""<?xml version="1.0" ?><SRlist><SR><UUID>{DrSites.SrUuid}</UUID><name_label>Replicated</name_label><name_description>LUN replicated to the DR site</name_description></SR></SRlist>""";
        (await b.CallAsync("SR.probe", master, DrSites.DeviceConfig(), "lvmoiscsi", metadata)).ShouldBe(expected);
        (await b.CallAsync("SR.probe", master, DrSites.DeviceConfig(withScsiId: false), "lvmoiscsi", metadata)).ShouldBe(expected);

        var plain = (string)await b.CallAsync("SR.probe", master, DrSites.DeviceConfig(), "lvmoiscsi", new Dictionary<string, object>());
        plain.ShouldBe($"""<?xml version="1.0" ?><SRlist><SR><UUID>{DrSites.SrUuid}</UUID><Devlist>/dev/disk/by-id/scsi-{DrSites.ScsiId}</Devlist></SR></SRlist>""");

        var noLun = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("SR.probe", master, DrSites.DeviceConfig(withScsiId: false), "lvmoiscsi", new Dictionary<string, object>()));
        noLun.Code.ShouldBe("SR_BACKEND_FAILURE_107");
        noLun.Parameters[1].ShouldBe("The SCSIid parameter is missing or incorrect");
        noLun.Parameters[2].ShouldContain($"<SCSIid>{DrSites.ScsiId}</SCSIid>", Case.Sensitive, "SM lists the LUNs of the target");
        b.Simulator.Database.FindByUuid("SR", DrSites.SrUuid).ShouldBeNull("probing introduces nothing");
    }

    [Fact]
    public async Task A_probe_fails_with_the_SM_error_of_what_is_missing_or_wrong()
    {
        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        var master = b.Simulator.Pool.MasterRef;
        var metadata = new Dictionary<string, object> { ["metadata"] = "true" };

        async Task<XenApiFailure> Probe(Dictionary<string, object> config, string type = "lvmoiscsi")
            => await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("SR.probe", master, config, type, metadata));

        var noTarget = await Probe(new Dictionary<string, object> { ["targetIQN"] = DrSites.TargetIqn });
        noTarget.Code.ShouldBe("SR_BACKEND_FAILURE_95");
        noTarget.Parameters.ShouldBe([string.Empty, "The request is missing the target parameter", string.Empty]);

        var noIqn = await Probe(new Dictionary<string, object> { ["target"] = DrSites.Target });
        noIqn.Code.ShouldBe("SR_BACKEND_FAILURE_96");
        noIqn.Parameters[2].ShouldContain($"<TargetIQN>{DrSites.TargetIqn}</TargetIQN>", Case.Sensitive, "SM lists the IQNs at the target");

        var wrongIqn = DrSites.DeviceConfig();
        wrongIqn["targetIQN"] = "iqn.2026-11.org.example:other";
        (await Probe(wrongIqn)).Code.ShouldBe("SR_BACKEND_FAILURE_96");

        var wrongTarget = DrSites.DeviceConfig();
        wrongTarget["target"] = "198.51.100.1";
        (await Probe(wrongTarget)).Code.ShouldBe("SR_BACKEND_FAILURE_141");

        var wrongLun = DrSites.DeviceConfig();
        wrongLun["SCSIid"] = "3600other";
        (await Probe(wrongLun)).Code.ShouldBe("SR_BACKEND_FAILURE_107");

        (await Probe(DrSites.DeviceConfig(), "lvmohba")).Code.ShouldBe("SR_BACKEND_FAILURE_107", "no HBA LUN has that SCSIid");

        var unknown = await Probe(DrSites.DeviceConfig(), "nosuchdriver");
        unknown.Code.ShouldBe("SR_UNKNOWN_DRIVER");
        unknown.Parameters.ShouldBe(["nosuchdriver"]);

        (await b.CallAsync("SR.probe", master, DrSites.DeviceConfig(), "lvmoiscsi", metadata)).ShouldBe("""<?xml version="1.0" ?><SRlist />""", "a LUN without an SR lists none");
    }

    [Fact]
    public async Task Introduce_create_plug_unplug_and_forget_by_hand_follow_xapis_checks()
    {
        await using (await SharedPool.StartAsync(DrSites.PrimaryJson(folder)))
        {
        }

        await using var b = await SharedPool.StartAsync(DrSites.SecondaryJson(folder));
        var db = b.Simulator.Database;
        var master = b.Simulator.Pool.MasterRef;
        var sr = (string)await b.CallAsync("SR.introduce", DrSites.SrUuid, "Replicated", string.Empty, "LVMoISCSI", string.Empty, true, new Dictionary<string, object>());
        db.GetString("SR", sr, "type").ShouldBe("lvmoiscsi");
        db.GetStrings("SR", sr, "PBDs").ShouldBeEmpty();
        var duplicate = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("SR.introduce", DrSites.SrUuid, "again", string.Empty, "lvmoiscsi", string.Empty, true, new Dictionary<string, object>()));
        duplicate.Code.ShouldBe("SR_UUID_EXISTS");
        duplicate.Parameters.ShouldBe([DrSites.SrUuid]);
        (await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("SR.scan", sr))).Code.ShouldBe("SR_NO_PBDS");

        var wrong = DrSites.DeviceConfig();
        wrong["SCSIid"] = "3600other";
        var badPbd = (string)await b.CallAsync("PBD.create", Pbd(master, sr, wrong));
        ((bool)db.Get("PBD", badPbd, "currently_attached")).ShouldBeFalse();
        (await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("PBD.plug", badPbd))).Code.ShouldBe("SR_BACKEND_FAILURE_107");
        ((bool)db.Get("PBD", badPbd, "currently_attached")).ShouldBeFalse();
        var exists = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("PBD.create", Pbd(master, sr, DrSites.DeviceConfig())));
        exists.Code.ShouldBe("PBD_EXISTS");
        exists.Parameters.ShouldBe([sr, master, badPbd]);
        await b.CallAsync("PBD.destroy", badPbd);

        var pbd = (string)await b.CallAsync("PBD.create", Pbd(master, sr, DrSites.DeviceConfig()));
        await b.CallAsync("PBD.plug", pbd);
        ((bool)db.Get("PBD", pbd, "currently_attached")).ShouldBeTrue();
        b.VdiByUuid(DrSites.DiskUuid).ShouldNotBeNull("plugging the master's PBD scans the LUN");
        var slave = db.GetAll("host").Single(h => h != master);
        var slavePbd = (string)await b.CallAsync("PBD.create", Pbd(slave, sr, wrong));
        (await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("PBD.plug", slavePbd))).Code.ShouldBe("SR_BACKEND_FAILURE_107", "every host's SM checks its device_config");
        await b.CallAsync("PBD.destroy", slavePbd);

        var attached = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("SR.forget", sr));
        attached.Code.ShouldBe("SR_HAS_PBD");
        attached.Parameters.ShouldBe([sr]);
        var plugged = await Should.ThrowAsync<XenApiFailure>(() => b.CallAsync("PBD.destroy", pbd));
        plugged.Code.ShouldBe("OPERATION_NOT_ALLOWED");
        plugged.Parameters.ShouldBe(["PBD is currently attached"]);

        var files = DrSites.Files(folder);
        await b.CallAsync("PBD.unplug", pbd);
        await b.CallAsync("SR.forget", sr);
        db.Exists(sr).ShouldBeFalse();
        db.Exists(pbd).ShouldBeFalse();
        b.VdiByUuid(DrSites.DiskUuid).ShouldBeNull();
        DrSites.Files(folder).ShouldBe(files);
    }

    [Fact]
    public void The_pool_file_takes_storage_targets_and_SR_device_configs_and_names_bad_entries()
    {
        var definition = PoolFileParser.Parse(DrSites.SecondaryJson("lun"), "/srv/pools");
        var target = definition.StorageTargets.ShouldHaveSingleItem();
        target.Type.ShouldBe("lvmoiscsi");
        target.Folder.ShouldBe("/srv/pools/lun");
        target.DeviceConfig["SCSIid"].ShouldBe(DrSites.ScsiId);
        PoolFileParser.Parse(DrSites.PrimaryJson("/x")).Srs[0].DeviceConfig.ShouldNotBeNull()["target"].ShouldBe(DrSites.Target);

        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "storage_targets": [ { "type": "lvmoiscsi", "device_config": { "target": "a" } } ] }"""))
            .Message.ShouldBe("storage_targets[0].folder: missing");
        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "storage_targets": [ { "type": "lvmoiscsi", "device_config": { "target": 1 }, "folder": "f" } ] }"""))
            .Message.ShouldBe("storage_targets[0].device_config.target: expected a string");
        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "storage_targets": [ { "type": "lvmoiscsi", "device_config": { "target": "a" }, "folder": "f", "size": 1 } ] }"""))
            .Message.ShouldBe("storage_targets[0].size: unknown key");
        Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{ "storage_targets": [ { "type": "lvmoiscsi", "device_config": { "a": "b" }, "folder": "/f" }, { "type": "lvmohba", "device_config": { "a": "b" }, "folder": "/f" } ] }"""))
            .Message.ShouldBe("storage_targets[1].folder: another storage target uses the same folder");
    }

    [Fact]
    public async Task A_folder_recording_another_SR_is_a_pool_file_error()
    {
        new SharedSrIdentity { Uuid = Guid.NewGuid().ToString("D"), NameLabel = "other", Type = "lvmoiscsi" }.Write(folder);
        var error = await Should.ThrowAsync<PoolFileException>(() => SharedPool.StartAsync(DrSites.PrimaryJson(folder)));
        error.Path.ShouldBe("srs[0].shared_storage");
        error.Problem.ShouldContain(SharedSrIdentity.PathOf(folder));
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

    private static Dictionary<string, object> Pbd(string host, string sr, Dictionary<string, object> deviceConfig) => new()
    {
        ["host"] = host,
        ["SR"] = sr,
        ["device_config"] = deviceConfig,
        ["other_config"] = new Dictionary<string, object>(),
    };
}
