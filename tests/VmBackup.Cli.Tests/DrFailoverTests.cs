using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary>
/// <c>vmbackup dr failover|test-failover|failback</c> between two simulated sites (see <see cref="DrSites"/>): the
/// secondary introduces the replicated LUN itself (<c>--type lvmoiscsi --device-config ...</c>).
/// </summary>
public sealed class DrFailoverTests : IDisposable
{
    private static readonly string[] Tables = ["VM", "VBD", "VIF", "VDI", "SR", "PBD", "task", "VM_appliance", "DR_task"];
    private readonly DrSites _sites = new();

    public void Dispose() => _sites.Dispose();

    [Fact]
    public async Task Dry_run_and_test_failover_leave_the_secondary_as_it_was_and_never_write_to_the_primary()
    {
        await using var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson());
        await DrSites.CreateShopAsync(a);
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
        var lun = await _sites.SettledFolderHashAsync();
        var primaryGeneration = a.Simulator.Database.Generation;

        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson());
        var before = DrSites.Lists(b, Tables);

        var (dry, dryOut, dryErr) = await DrSites.RunAsync(b, ["dr", "failover", "--dry-run", .. DrSites.DeviceConfig]);
        dry.ShouldBe(0, dryErr + dryOut);
        dryOut.ShouldContain($"introduce SR Replicated ({DrSites.SrUuid})");
        dryOut.ShouldContain("dry run: nothing changed");
        DrSites.Lists(b, Tables).ShouldBe(before);

        var (test, testOut, testErr) = await DrSites.RunAsync(b, ["dr", "test-failover", .. DrSites.DeviceConfig, "--appliance", "shop", "--vm", "web"]);
        test.ShouldBe(0, testErr + testOut);
        testOut.ShouldContain($"introduced SR Replicated ({DrSites.SrUuid})");
        testOut.ShouldContain("recovered vApp shop");
        testOut.ShouldContain("recovered VM web");
        testOut.ShouldContain("checked VM web: 1 disk(s) present");
        testOut.ShouldContain("checked VM shop-web: 1 disk(s) present");
        testOut.ShouldContain("removed vApp shop");
        testOut.ShouldContain($"forgot SR Replicated ({DrSites.SrUuid})");
        DrSites.Lists(b, Tables).ShouldBe(before, "VMs, disks, SRs, PBDs, tasks and vApps as before the test: " + testOut);

        a.Simulator.Database.Generation.ShouldBe(primaryGeneration, "the primary's database was not written");
        _sites.FolderHash().ShouldBe(lun, "no file of the replicated LUN was written");
    }

    [Fact]
    public async Task Failover_brings_VMs_and_vApps_with_their_uuids_settings_and_disk_bytes_and_refuses_what_it_cannot_recover()
    {
        Dictionary<string, (string Uuid, long Memory, long Vcpus, string Macs, string[] Disks)> onA;
        Dictionary<string, string> hashes;
        string shopUuid;
        await using (var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson()))
        {
            await DrSites.CreateShopAsync(a);
            var adb = a.Simulator.Database;
            var web = adb.FindByNameLabel("VM", "web").Single();
            a.Simulator.Pool.Disks.Write(a.Simulator.Pool.DiskOf(Disks(a, web)[0])!, 1 << 20, Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 13 + 5)).ToArray());
            (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
            onA = new[] { "web", "shop-db", "shop-web" }.ToDictionary(n => n, n => Describe(a, adb.FindByNameLabel("VM", n).Single()));
            hashes = onA.Values.SelectMany(v => v.Disks).ToDictionary(d => d, d => DrSites.DiskHash(a, d));
            shopUuid = adb.GetString("VM_appliance", adb.FindByNameLabel("VM_appliance", "shop").Single(), "uuid");
        }

        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson());
        var db = b.Simulator.Database;
        var (exit, output, error) = await DrSites.RunAsync(b, ["dr", "failover", .. DrSites.DeviceConfig, "--start"]);

        exit.ShouldBe(2, "db and the vApp broken cannot be recovered: " + error + output);
        output.ShouldContain("skip VM db (");
        output.ShouldContain("needs SR Local (");
        output.ShouldContain("skip vApp broken (");
        output.ShouldContain("its VM shop-cache");
        output.ShouldContain("started vApp shop: shop-db, then shop-web");
        foreach (var (name, expected) in onA)
        {
            var vm = db.FindByUuid("VM", expected.Uuid).ShouldNotBeNull(name);
            var actual = Describe(b, vm);
            actual.Memory.ShouldBe(expected.Memory, name);
            actual.Vcpus.ShouldBe(expected.Vcpus, name);
            actual.Macs.ShouldBe(expected.Macs, name);
            actual.Disks.ShouldBe(expected.Disks, name);
            db.GetString("VM", vm, "power_state").ShouldBe("Running", name);
            foreach (var disk in expected.Disks)
            {
                DrSites.DiskHash(b, disk).ShouldBe(hashes[disk], $"{name}'s disk {disk} has the primary's bytes");
            }
        }

        var shop = db.FindByUuid("VM_appliance", shopUuid).ShouldNotBeNull("the vApp keeps its uuid");
        db.GetStrings("VM_appliance", shop, "VMs").Select(v => db.GetString("VM", v, "name_label")).Order(StringComparer.Ordinal).ShouldBe(["shop-db", "shop-web"]);
        LastChange(b, "shop-db").ShouldBeLessThan(LastChange(b, "shop-web"), "order 0 started (its last change, as event.from shows it) before order 1");
        db.FindByNameLabel("VM", "db").ShouldBeEmpty("nothing half-created");
        db.FindByNameLabel("VM", "shop-cache").ShouldBeEmpty("nothing of a refused vApp is created");
        db.FindByNameLabel("VM_appliance", "broken").ShouldBeEmpty();
        var sr = db.FindByUuid("SR", DrSites.SrUuid).ShouldNotBeNull("the recovered VMs use the SR: it stays");
        db.GetStrings("SR", sr, "PBDs").ShouldAllBe(pbd => (bool)db.Get("PBD", pbd, "currently_attached"));
        db.GetAll("DR_task").ShouldBeEmpty();

        var vmsBefore = DrSites.Lists(b, "VM", "VBD", "VIF", "VM_appliance");
        var (again, againOut, againErr) = await DrSites.RunAsync(b, ["dr", "failover", .. DrSites.DeviceConfig, "--vm", "web"]);
        again.ShouldBe(2, againErr);
        againOut.ShouldContain($"skip VM web ({onA["web"].Uuid}): conflict: a VM with this uuid is Running on this pool");
        DrSites.Lists(b, "VM", "VBD", "VIF", "VM_appliance").ShouldBe(vmsBefore, "a conflict creates nothing");
    }

    [Fact]
    public async Task Failover_recovers_a_VM_with_a_snapshot_taken_on_the_replicated_SR_and_its_point_in_time_bytes()
    {
        string webDisk;
        string snapshotDisk;
        string atSnapshot;
        string afterSnapshot;
        await using (var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson()))
        {
            var adb = a.Simulator.Database;
            var web = adb.FindByNameLabel("VM", "web").Single();
            webDisk = adb.GetString("VDI", Disks(a, web)[0], "uuid");
            var disk = a.Simulator.Pool.DiskOf(Disks(a, web)[0])!;
            a.Simulator.Pool.Disks.Write(disk, 1 << 20, Enumerable.Repeat((byte)0x77, 100_000).ToArray());
            await using (var session = await DrSites.ConnectAsync(a))
            {
                var snapshot = await session.CallAsync<string>("VM.snapshot", [web, "web-before", new List<object>()], CancellationToken.None);
                snapshotDisk = adb.GetString("VDI", Disks(a, snapshot)[0], "uuid");
            }

            atSnapshot = DrSites.DiskHash(a, snapshotDisk);
            a.Simulator.Pool.Disks.Write(disk, 0, Enumerable.Repeat((byte)0x78, 100_000).ToArray());
            afterSnapshot = DrSites.DiskHash(a, webDisk);
            afterSnapshot.ShouldNotBe(atSnapshot);
            (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
        }

        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson());
        var (exit, output, error) = await DrSites.RunAsync(b, ["dr", "failover", .. DrSites.DeviceConfig, "--vm", "web"]);

        exit.ShouldBe(0, error + output);
        var db = b.Simulator.Database;
        var vm = db.FindByNameLabel("VM", "web").Single(v => !(bool)db.Get("VM", v, "is_a_snapshot"));
        var recovered = db.GetStrings("VM", vm, "snapshots").ShouldHaveSingleItem();
        db.GetString("VM", recovered, "name_label").ShouldBe("web-before");
        DrSites.DiskHash(b, snapshotDisk).ShouldBe(atSnapshot, "the snapshot's disk has the primary's bytes at snapshot time");
        DrSites.DiskHash(b, webDisk).ShouldBe(afterSnapshot);
    }

    [Fact]
    public async Task Failback_brings_the_changes_made_on_the_secondary_back_to_the_primary()
    {
        await using var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson());
        var adb = a.Simulator.Database;
        var webOnA = adb.FindByNameLabel("VM", "web").Single();
        var webUuid = adb.GetString("VM", webOnA, "uuid");
        var disk = adb.GetString("VDI", Disks(a, webOnA)[0], "uuid");
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);

        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson());
        var (failover, failoverOut, failoverErr) = await DrSites.RunAsync(b, ["dr", "failover", .. DrSites.DeviceConfig, "--vm", "web", "--start"]);
        failover.ShouldBe(0, failoverErr + failoverOut);

        // Life on the secondary: the VM is reconfigured and its disk written.
        var bdb = b.Simulator.Database;
        var webOnB = bdb.FindByUuid("VM", webUuid)!;
        await using (var session = await DrSites.ConnectAsync(b))
        {
            await session.CallAsync("VM.hard_shutdown", [webOnB], CancellationToken.None);
            await session.CallAsync("VM.set_name_description", [webOnB, "changed at the DR site"], CancellationToken.None);
            await session.CallAsync("VM.set_VCPUs_max", [webOnB, 4L], CancellationToken.None);
            await session.CallAsync("VM.start", [webOnB, false, false], CancellationToken.None);
        }

        b.Simulator.Pool.Disks.Write(b.Simulator.Pool.DiskOf(bdb.FindByUuid("VDI", disk)!)!, 2 << 20, Enumerable.Repeat((byte)0xB5, 1 << 20).ToArray());
        (await DrSites.RunAsync(b, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);

        // The primary site returns; its VMs are halted after the loss of the site.
        await using (var session = await DrSites.ConnectAsync(a))
        {
            await session.CallAsync("VM.hard_shutdown", [webOnA], CancellationToken.None);
        }

        var (early, earlyOut, _) = await DrSites.RunAsync(a, "dr", "failback", "--vm", "web");
        early.ShouldBe(2);
        earlyOut.ShouldContain("still Running on pool");
        earlyOut.ShouldContain("shut it down there first");
        adb.GetString("VM", webOnA, "name_description").ShouldNotBe("changed at the DR site");

        await using (var session = await DrSites.ConnectAsync(b))
        {
            await session.CallAsync("VM.clean_shutdown", [webOnB], CancellationToken.None);
        }

        var (back, backOut, backErr) = (0, string.Empty, string.Empty);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // The secondary rewrites its replicated metadata shortly after a change.
            (back, backOut, backErr) = await DrSites.RunAsync(a, "dr", "failback", "--start");
            if (!backOut.Contains("still Running", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        back.ShouldBe(0, backErr + backOut);
        backOut.ShouldContain("replaces this pool's older copy (version 0 here, 1 in the metadata)");
        backOut.ShouldContain("leave VM monitor (");
        backOut.ShouldContain("metadata of this pool on SR Replicated: not a source");
        var web = adb.FindByUuid("VM", webUuid).ShouldNotBeNull();
        adb.Where("VM", r => (string)r["uuid"] == webUuid).Count.ShouldBe(1);
        adb.GetString("VM", web, "name_description").ShouldBe("changed at the DR site");
        ((long)adb.Get("VM", web, "VCPUs_max")).ShouldBe(4);
        adb.GetString("VM", web, "power_state").ShouldBe("Running");
        DrSites.DiskHash(a, disk).ShouldBe(DrSites.DiskHash(b, disk), "the disk written at the DR site");
    }

    [Fact]
    public async Task The_most_recent_copy_wins_when_two_replicated_LUNs_disagree()
    {
        await using (var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson(twoLuns: true)))
        {
            (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated", "--sr", "Replicated 2")).Exit.ShouldBe(0);

            // The array replicated LUN 2 once, then fell behind; LUN 1 keeps up with the change below.
            Directory.CreateDirectory(_sites.Folder2Replica);
            foreach (var file in Directory.EnumerateFiles(_sites.Folder2))
            {
                File.Copy(file, Path.Combine(_sites.Folder2Replica, Path.GetFileName(file)));
            }

            var metadata = a.Simulator.Database.Where("VDI", r => (string)r["type"] == "metadata" && (string)r["SR"] == a.Simulator.Database.FindByUuid("SR", DrSites.SrUuid));
            var lun1 = Path.Combine(_sites.Folder, a.Simulator.Database.GetString("VDI", metadata.Single(), "uuid") + ".vdi");
            var written = File.GetLastWriteTimeUtc(lun1);
            await using (var session = await DrSites.ConnectAsync(a))
            {
                await session.CallAsync("VM.set_name_description", [a.Simulator.Database.FindByNameLabel("VM", "web").Single(), "after the copy"], CancellationToken.None);
            }

            for (var i = 0; i < 100 && File.GetLastWriteTimeUtc(lun1) == written; i++)
            {
                await Task.Delay(100);
            }

            File.GetLastWriteTimeUtc(lun1).ShouldNotBe(written, "the change was replicated onto LUN 1");
        }

        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson(twoLuns: true));
        var (exit, output, error) = await DrSites.RunAsync(b, "dr", "failover", "--type", "lvmoiscsi", "--device-config", "target=" + DrSites.Target, "--device-config", "targetIQN=" + DrSites.Iqn, "--vm", "web");

        exit.ShouldBe(0, error + output);
        output.ShouldContain($"introduce SR Replicated ({DrSites.SrUuid})");
        output.ShouldContain($"introduce SR Replicated 2 ({DrSites.Sr2Uuid})");
        output.ShouldContain("2 copies found; using pool ");
        output.ShouldContain("'s metadata on SR Replicated (version 0)");
        var db = b.Simulator.Database;
        db.GetString("VM", db.FindByNameLabel("VM", "web").Single(), "name_description").ShouldBe("after the copy");
        db.FindByUuid("SR", DrSites.SrUuid).ShouldNotBeNull("web's disk is there");
        db.FindByUuid("SR", DrSites.Sr2Uuid).ShouldBeNull("no recovered VM uses LUN 2: the DR task forgot it");
    }

    [Fact]
    public async Task The_sample_sites_of_the_walkthrough_fail_over_with_the_vApp_in_order()
    {
        string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "dr", name))
            .Replace("\"lun\"", System.Text.Json.JsonSerializer.Serialize(_sites.Folder), StringComparison.Ordinal);
        await using var a = await SimulatorFixture.StartAsync(Sample("site-a.json"));
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated LUN")).Exit.ShouldBe(0);
        var (status, statusOut, _) = await DrSites.RunAsync(a, "dr", "status");
        status.ShouldBe(2);
        statusOut.ShouldContain("protected: vApp shop (");
        statusOut.ShouldContain("warning: VM scratch (");

        await using var b = await SimulatorFixture.StartAsync(Sample("site-b.json"), https: true);
        string[] storage = ["--type", "lvmoiscsi", "--device-config", "target=192.0.2.10", "--device-config", "targetIQN=iqn.2026-11.org.example:dr"];
        var before = DrSites.Lists(b, Tables);
        var (test, testOut, _) = await DrSites.RunAsync(b, ["dr", "test-failover", .. storage]);
        test.ShouldBe(2, "scratch is not replicated: " + testOut);
        testOut.ShouldContain("checked VM mail: 1 disk(s) present");
        DrSites.Lists(b, Tables).ShouldBe(before);

        var (json, jsonOut, jsonErr) = await DrSites.RunAsync(b, ["dr", "test-failover", .. storage, "--json"]);
        json.ShouldBe(2);
        jsonErr.ShouldContain("recovered vApp shop", customMessage: "the progress lines go to stderr");
        using (var document = System.Text.Json.JsonDocument.Parse(jsonOut))
        {
            var root = document.RootElement;
            root.GetProperty("mode").GetString().ShouldBe("test-failover");
            root.GetProperty("failures").GetInt32().ShouldBe(1);
            root.GetProperty("srs")[0].GetProperty("state").GetString().ShouldBe("forgotten");
            var items = root.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
            var shop = items["shop"];
            shop.GetProperty("kind").GetString().ShouldBe("vApp");
            shop.GetProperty("vms").EnumerateArray().Select(v => v.GetString()).ShouldBe(["shop-db", "shop-web"]);
            (shop.GetProperty("recovered").GetBoolean(), shop.GetProperty("disks_present").GetInt32(), shop.GetProperty("check_ok").GetBoolean(), shop.GetProperty("removed").GetBoolean()).ShouldBe((true, 2, true, true));
            items["scratch"].GetProperty("action").GetString().ShouldBe("skip");
            items["scratch"].GetProperty("problem").GetString().ShouldStartWith("needs SR Local storage (");
            items["scratch"].GetProperty("recovered").GetBoolean().ShouldBeFalse();
        }

        DrSites.Lists(b, Tables).ShouldBe(before);

        // The real failover over HTTPS, the pool's self-signed certificate pinned (the database sessions use the same connection).
        var wrongPin = string.Join(":", Enumerable.Repeat("00", 32));
        var (refused, _, refusedErr) = await DrSites.RunAsync(b, ["dr", "failover", .. storage, "--server", b.Simulator.HttpsUri!.ToString(), "--tls-fingerprint", wrongPin]);
        refused.ShouldNotBe(0);
        refusedErr.ShouldContain("fingerprint", Case.Insensitive);
        DrSites.Lists(b, Tables).ShouldBe(before, "a pool whose certificate does not match is never touched");
        string[] pinned = ["--server", b.Simulator.HttpsUri!.ToString(), "--tls-fingerprint", b.Simulator.CertificateFingerprint!];
        var (failover, failoverOut, _) = await DrSites.RunAsync(b, ["dr", "failover", .. storage, "--start", .. pinned]);
        failover.ShouldBe(2, failoverOut);
        failoverOut.ShouldContain("started vApp shop: shop-db, then shop-web");
        failoverOut.ShouldContain("started VM mail");
        failoverOut.ShouldContain("skip VM scratch (");
        var db = b.Simulator.Database;
        db.GetString("VM", db.FindByNameLabel("VM", "mail").Single(), "power_state").ShouldBe("Running");
    }

    [Fact]
    public async Task A_VM_with_a_disk_on_a_replicated_SR_left_out_is_refused_and_nothing_of_it_is_created()
    {
        await using var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson(twoLuns: true));
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated", "--sr", "Replicated 2")).Exit.ShouldBe(0);
        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson(twoLuns: true, liveLun2: true));

        // Only LUN 1 is introduced: "wide" has its second disk on LUN 2.
        var (exit, output, error) = await DrSites.RunAsync(b, "dr", "failover", "--type", "lvmoiscsi", "--device-config", "target=" + DrSites.Target, "--device-config", "targetIQN=" + DrSites.Iqn, "--sr-uuid", DrSites.SrUuid);

        exit.ShouldBe(2, error + output);
        output.ShouldNotContain("introduce SR Replicated 2");
        output.ShouldContain($"skip VM wide (");
        output.ShouldContain($"needs SR Replicated 2 ({DrSites.Sr2Uuid}), which this pool does not have attached");
        output.ShouldContain("recovered VM web (");
        var db = b.Simulator.Database;
        db.FindByNameLabel("VM", "wide").ShouldBeEmpty("nothing half-created");
        db.FindByUuid("SR", DrSites.Sr2Uuid).ShouldBeNull();
    }

    [Fact]
    public async Task Status_covers_VMs_and_vApps_and_disable_stops_the_replication_and_drops_the_metadata_VDI()
    {
        await using var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson());
        await DrSites.CreateShopAsync(a);
        var db = a.Simulator.Database;
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
        var metadata = db.Where("VDI", r => (string)r["type"] == "metadata").ShouldHaveSingleItem();
        var file = Path.Combine(_sites.Folder, db.GetString("VDI", metadata, "uuid") + ".vdi");
        File.Exists(file).ShouldBeTrue();

        var (status, statusOut, _) = await DrSites.RunAsync(a, "dr", "status");
        status.ShouldBe(2, "db, shop-cache and the vApp broken are not covered");
        statusOut.ShouldContain($"metadata on SR Replicated ({DrSites.SrUuid})");
        statusOut.ShouldContain("protected: VM web (");
        statusOut.ShouldContain("protected: vApp shop (");
        statusOut.ShouldContain("): shop-db, shop-web");
        statusOut.ShouldContain("warning: vApp broken (");
        statusOut.ShouldContain("warning: VM db (");

        var (onlyLocal, onlyLocalOut, _) = await DrSites.RunAsync(a, "dr", "status", "--sr", "Local");
        onlyLocal.ShouldBe(2);
        onlyLocalOut.ShouldContain("warning: SR Local (");
        onlyLocalOut.ShouldContain("carries no metadata of this pool");
        onlyLocalOut.ShouldContain("no SR carries this pool's metadata");

        var (disable, disableOut, disableErr) = await DrSites.RunAsync(a, "dr", "disable", "--sr", "Replicated");
        disable.ShouldBe(0, disableErr);
        disableOut.ShouldContain($"disabled database replication on SR Replicated ({DrSites.SrUuid})");
        db.Where("VDI", r => (string)r["type"] == "metadata").ShouldBeEmpty("xapi destroys the metadata VDI");
        File.Exists(file).ShouldBeFalse();
        var (after, afterOut, _) = await DrSites.RunAsync(a, "dr", "status");
        after.ShouldBe(0);
        afterOut.ShouldContain("no SR carries this pool's metadata");
    }

    [Fact]
    public async Task Bad_storage_arguments_are_refused_with_one_line_and_change_nothing()
    {
        await using var a = await SimulatorFixture.StartAsync(_sites.PrimaryJson());
        (await DrSites.RunAsync(a, "dr", "enable", "--sr", "Replicated")).Exit.ShouldBe(0);
        await using var b = await SimulatorFixture.StartAsync(_sites.SecondaryJson());
        var before = DrSites.Lists(b, Tables);

        var (noType, _, noTypeErr) = await DrSites.RunAsync(b, "dr", "failover", "--device-config", "target=" + DrSites.Target);
        noType.ShouldBe(1);
        noTypeErr.ShouldContain("need --type");

        var (noPair, _, noPairErr) = await DrSites.RunAsync(b, "dr", "failover", "--type", "lvmoiscsi", "--device-config", "s3cret");
        noPair.ShouldBe(1);
        noPairErr.Trim().ShouldBe("vmbackup dr failover: --device-config #1: expected key=value");

        var unknown = Guid.NewGuid().ToString();
        var (missing, _, missingErr) = await DrSites.RunAsync(b, ["dr", "failover", .. DrSites.DeviceConfig, "--sr-uuid", unknown]);
        missing.ShouldBe(1);
        missingErr.ShouldContain($"SR {unknown} is not on the lvmoiscsi storage (the probe found: {DrSites.SrUuid})");

        var (wrong, _, wrongErr) = await DrSites.RunAsync(b, "dr", "failover", "--type", "lvmoiscsi", "--device-config", "target=" + DrSites.Target, "--device-config", "targetIQN=iqn.2026-11.org.example:other");
        wrong.ShouldNotBe(0);
        wrongErr.ShouldContain("SR_BACKEND_FAILURE");
        wrongErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1);

        DrSites.Lists(b, Tables).ShouldBe(before);
    }

    private static string[] Disks(SimulatorFixture sim, string vm)
    {
        var db = sim.Simulator.Database;
        return db.GetStrings("VM", vm, "VBDs").Where(v => db.GetString("VBD", v, "type") == "Disk").Select(v => db.GetString("VBD", v, "VDI")).ToArray();
    }

    private static (string Uuid, long Memory, long Vcpus, string Macs, string[] Disks) Describe(SimulatorFixture sim, string vm)
    {
        var db = sim.Simulator.Database;
        var macs = string.Join(",", db.GetStrings("VM", vm, "VIFs").Select(v => db.GetString("VIF", v, "MAC")).Order(StringComparer.Ordinal));
        var disks = Disks(sim, vm).Select(d => db.GetString("VDI", d, "uuid")).Order(StringComparer.Ordinal).ToArray();
        return (db.GetString("VM", vm, "uuid"), (long)db.Get("VM", vm, "memory_static_max"), (long)db.Get("VM", vm, "VCPUs_max"), macs, disks);
    }

    /// <summary>The database generation of the VM's latest change (its start, for a VM just started).</summary>
    private static long LastChange(SimulatorFixture sim, string name)
    {
        var db = sim.Simulator.Database;
        var vm = db.FindByNameLabel("VM", name).Single();
        return db.ChangesSince(0, (_, reference) => reference == vm).Single().Generation;
    }
}
