using XapiSim.Rpc;

namespace XapiSim.Tests.Model;

public sealed class CbtTests
{
    private static string Disk(ModelHarness h, string vm, string userdevice = "0")
        => h.Db.GetString("VBD", h.Db.GetStrings("VM", vm, "VBDs").Single(v => h.Db.GetString("VBD", v, "userdevice") == userdevice), "VDI");

    [Fact]
    public async Task Changed_blocks_between_snapshots_reflect_writes_msb_first()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        var vdi = Disk(h, vm);
        await h.CallAsync("VDI.enable_cbt", vdi);
        await h.CallAsync("VDI.enable_cbt", vdi);
        var s1 = await h.CallAsync<string>("VDI.snapshot", vdi);
        h.Record("VDI", s1)["cbt_enabled"].ShouldBe(true);
        var disk = h.Simulator.Pool.DiskOf(vdi)!;
        using (var stream = h.Simulator.Pool.Disks.Open(disk, writable: true))
        {
            stream.Position = 3 * 65536;
            stream.Write(new byte[] { 1, 2, 3 });
        }

        var s2 = await h.CallAsync<string>("VDI.snapshot", vdi);
        var bitmap = Convert.FromBase64String(await h.CallAsync<string>("VDI.list_changed_blocks", s1, s2));
        bitmap.Length.ShouldBe((int)(64L * 1024 * 1024 / 65536 / 8));
        bitmap[0].ShouldBe((byte)0x10);
        bitmap.Skip(1).ShouldAllBe(b => b == 0);
    }

    [Fact]
    public async Task Cbt_errors_follow_the_reference()
    {
        await using var h = ModelHarness.Create();
        var vdi = Disk(h, h.Vm("DEV-halted"));
        var noCbtSnap = await h.CallAsync<string>("VDI.snapshot", vdi);
        (await h.FailAsync("VDI.enable_cbt", noCbtSnap)).Description.ShouldBe(["OPERATION_NOT_ALLOWED", "VDI is a snapshot: " + noCbtSnap]);
        (await h.FailAsync("VDI.data_destroy", vdi)).Description.ShouldBe(["OPERATION_NOT_ALLOWED", "VDI is not a snapshot: " + vdi]);
        (await h.FailAsync("VDI.data_destroy", noCbtSnap)).Description.ShouldBe(["VDI_NO_CBT_METADATA", noCbtSnap]);

        await h.CallAsync("VDI.enable_cbt", vdi);
        var snap = await h.CallAsync<string>("VDI.snapshot", vdi);
        await h.CallAsync("VDI.data_destroy", snap);
        await h.CallAsync("VDI.data_destroy", snap);
        h.Record("VDI", snap)["type"].ShouldBe("cbt_metadata");
        (await h.FailAsync("VDI.snapshot", snap)).Description.ShouldBe(["VDI_INCOMPATIBLE_TYPE", snap, "cbt_metadata"]);
        (await h.FailAsync("VDI.clone", snap)).Description.ShouldBe(["VDI_INCOMPATIBLE_TYPE", snap, "cbt_metadata"]);
        var later = await h.CallAsync<string>("VDI.snapshot", vdi);
        Convert.FromBase64String(await h.CallAsync<string>("VDI.list_changed_blocks", snap, later)).ShouldAllBe(b => b == 0);
        await h.CallAsync("VDI.disable_cbt", vdi);
        h.Record("VDI", vdi)["cbt_enabled"].ShouldBe(false);
    }

    [Fact]
    public async Task Vdi_create_destroy_and_in_use()
    {
        await using var h = ModelHarness.Create();
        var sr = h.Db.FindByNameLabel("SR", "Local storage").Single();
        var created = await h.CallAsync<string>("VDI.create", new Dictionary<string, object>
        {
            ["name_label"] = "scratch", ["SR"] = sr, ["virtual_size"] = "1048576", ["type"] = "user", ["sharable"] = false, ["read_only"] = false,
            ["other_config"] = new Dictionary<string, object>(),
        });
        h.Record("VDI", created)["virtual_size"].ShouldBe(1048576L);
        h.Db.GetStrings("SR", sr, "VDIs").ShouldContain(created);
        (await h.FailAsync("VDI.create", new Dictionary<string, object> { ["SR"] = sr, ["virtual_size"] = 1L, ["type"] = "cbt_metadata" }))
            .Description.ShouldBe(["VDI_INCOMPATIBLE_TYPE", string.Empty, "cbt_metadata"]);
        var running = Disk(h, h.Vm("PROD-web"));
        (await h.FailAsync("VDI.destroy", running)).Description.ShouldBe(["VDI_IN_USE", running, "destroy"]);
        (await h.CallAsync("VDI.destroy", created)).ShouldBe(RpcVoid.Instance);
        h.Db.Exists(created).ShouldBeFalse();
    }

    [Fact]
    public async Task Vdi_create_named_pool_metadata_backup_gets_the_uuid5_of_its_sr_like_xapi()
    {
        await using var h = ModelHarness.Create();
        var sr = h.Db.FindByNameLabel("SR", "Local storage").Single();
        var srUuid = h.Db.GetString("SR", sr, "uuid");
        var spec = new Dictionary<string, object> { ["name_label"] = "Pool Metadata Backup", ["SR"] = sr, ["virtual_size"] = 1048576L, ["type"] = "user" };

        var created = await h.CallAsync<string>("VDI.create", spec);

        // Python's uuid module is the independent oracle for RFC 4122 uuid5.
        var expected = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3")
        {
            ArgumentList = { "-c", $"import uuid; print(uuid.uuid5(uuid.UUID('e93e0639-2bdb-4a59-8b46-352b3f408c19'), '{srUuid}'))" },
            RedirectStandardOutput = true,
        })!.StandardOutput.ReadToEnd().Trim();
        h.Db.GetString("VDI", created, "uuid").ShouldBe(expected);

        // Any other name, or a second one on the same SR, gets a random uuid.
        var second = await h.CallAsync<string>("VDI.create", spec);
        h.Db.GetString("VDI", second, "uuid").ShouldNotBe(expected);
        spec["name_label"] = "scratch";
        h.Db.GetString("VDI", await h.CallAsync<string>("VDI.create", spec), "uuid").ShouldNotBe(expected);
    }

    [Fact]
    public async Task Vbd_and_vif_create_plug_destroy()
    {
        await using var h = ModelHarness.Create();
        var vm = h.Vm("DEV-halted");
        var sr = h.Db.FindByNameLabel("SR", "Local storage").Single();
        var vdi = await h.CallAsync<string>("VDI.create", new Dictionary<string, object> { ["SR"] = sr, ["virtual_size"] = 65536L, ["type"] = "user" });
        var vbd = await h.CallAsync<string>("VBD.create", new Dictionary<string, object>
        {
            ["VM"] = vm, ["VDI"] = vdi, ["userdevice"] = "autodetect", ["bootable"] = false, ["mode"] = "RW", ["type"] = "Disk", ["empty"] = false,
            ["other_config"] = new Dictionary<string, object> { ["owner"] = "true" },
        });
        h.Db.GetString("VBD", vbd, "userdevice").ShouldBe("1");
        h.Db.GetStrings("VM", vm, "VBDs").ShouldContain(vbd);
        (await h.FailAsync("VBD.plug", vbd)).Description.ShouldBe(["VM_BAD_POWER_STATE", vm, "running", "halted"]);
        await h.CallAsync("VBD.destroy", vbd);
        h.Db.GetStrings("VDI", vdi, "VBDs").ShouldBeEmpty();
        var network = h.Db.GetAll("network")[0];
        var vif = await h.CallAsync<string>("VIF.create", new Dictionary<string, object> { ["VM"] = vm, ["network"] = network, ["device"] = "1", ["MAC"] = "" });
        h.Db.GetString("VIF", vif, "MAC").ShouldNotBeNullOrEmpty();
        await h.CallAsync("VIF.destroy", vif);
        h.Db.Exists(vif).ShouldBeFalse();
    }
}
