using XapiSim.Model.Database;
using XapiSim.Rpc;
using XapiSim.Tests.SharedStorage;

namespace XapiSim.Tests.Dr;

/// <summary><c>VM.recover</c> as xapi's metadata import with full restore: checks, versions, power states, force, snapshots.</summary>
public sealed class VmRecoverTests : IDisposable
{
    private const string VmUuid = "0b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b";
    private const string DiskUuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    private const string LocalSr = """, { "name_label": "Local", "type": "ext", "size": "10GiB" }""";

    private readonly string folder = Directory.CreateTempSubdirectory("dr-vm-").FullName;

    private static string Web => $$"""{ "name_label": "web", "uuid": "{{VmUuid}}", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ], "vifs": [ { "device": "0" } ] }""";

    private static string WebWithSnapshot => Web + """, { "name_label": "web-snap", "snapshot_of": "web" }""";

    [Fact]
    public async Task Recover_creates_the_VM_and_its_snapshot_with_version_plus_one_on_the_live_disks_and_clears_introduced_by()
    {
        await using var site = await DrSite.FailoverAsync(folder, WebWithSnapshot);
        var db = site.B.Simulator.Database;
        var sr = db.FindByUuid("SR", DrSite.SrUuid)!;
        var drTask = db.Create("DR_task");
        db.Set("SR", sr, "introduced_by", drTask);
        var foreignVm = await site.ForeignVmAsync("web");
        var foreignVbds = ((IReadOnlyList<object>)await site.ForeignAsync("VM.get_VBDs", foreignVm)).Cast<string>().ToList();
        var vbdUuids = new List<string>();
        foreach (var vbd in foreignVbds)
        {
            vbdUuids.Add((string)await site.ForeignAsync("VBD.get_uuid", vbd));
        }

        await site.RecoverAsync("web");

        var vm = db.FindByUuid("VM", VmUuid).ShouldNotBeNull();
        db.Get("VM", vm, "version").ShouldBe(1L);
        db.GetString("VM", vm, "power_state").ShouldBe("Halted");
        db.GetString("VM", vm, "appliance").ShouldBe("OpaqueRef:NULL");
        db.GetStrings("VM", vm, "VBDs").Select(vbd => db.GetString("VBD", vbd, "uuid")).Order().ShouldBe(vbdUuids.Order());
        db.GetStrings("VM", vm, "VBDs").Select(vbd => db.GetString("VBD", vbd, "VDI")).ShouldContain(db.FindByUuid("VDI", DiskUuid)!);
        var vif = db.GetStrings("VM", vm, "VIFs").ShouldHaveSingleItem();
        db.GetString("network", db.GetString("VIF", vif, "network"), "name_label").ShouldBe("Pool-wide network associated with eth0");

        var snapshot = db.GetStrings("VM", vm, "snapshots").ShouldHaveSingleItem();
        db.GetString("VM", snapshot, "name_label").ShouldBe("web-snap");
        db.GetString("VM", snapshot, "snapshot_of").ShouldBe(vm);
        ((bool)db.Get("VM", snapshot, "is_a_snapshot")).ShouldBeTrue();
        db.GetStrings("VM", snapshot, "VBDs").ShouldNotBeEmpty();
        db.GetStrings("VM", snapshot, "VBDs").ShouldAllBe(vbd => db.Exists(db.GetString("VBD", vbd, "VDI"), "VDI"));
        db.GetString("SR", sr, "introduced_by").ShouldBe("OpaqueRef:NULL");
    }

    [Fact]
    public async Task Recovering_again_is_refused_as_not_newer_and_force_replaces_the_copy()
    {
        await using var site = await DrSite.FailoverAsync(folder, WebWithSnapshot);
        var db = site.B.Simulator.Database;
        await site.RecoverAsync("web");
        var first = db.FindByUuid("VM", VmUuid)!;
        var before = Inventory(db);

        var failure = await Should.ThrowAsync<XenApiFailure>(() => site.RecoverAsync("web"));
        failure.Code.ShouldBe("VM_TO_IMPORT_IS_NOT_NEWER_VERSION");
        failure.Parameters.ShouldBe([first, "1", "0"]);
        Inventory(db).ShouldBe(before);

        await site.RecoverAsync("web", force: true);
        var second = db.FindByUuid("VM", VmUuid).ShouldNotBeNull();
        second.ShouldNotBe(first);
        db.Where("VM", r => (string)r["uuid"] == VmUuid).ShouldHaveSingleItem();
        db.Get("VM", second, "version").ShouldBe(1L);
        db.GetStrings("VM", second, "snapshots").ShouldHaveSingleItem();
        db.Where("VM", r => (string)r["name_label"] == "web-snap").ShouldHaveSingleItem();
        db.GetStrings("VDI", db.FindByUuid("VDI", DiskUuid)!, "VBDs").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_running_VM_with_the_uuid_is_refused_and_skipped_with_force()
    {
        await using var site = await DrSite.FailoverAsync(folder, Web);
        var db = site.B.Simulator.Database;
        await site.RecoverAsync("web");
        var vm = db.FindByUuid("VM", VmUuid)!;
        await site.B.CallAsync("VM.start", vm, false, false);
        var before = Inventory(db);

        var failure = await Should.ThrowAsync<XenApiFailure>(() => site.RecoverAsync("web"));
        failure.Code.ShouldBe("VM_BAD_POWER_STATE");
        failure.Parameters.ShouldBe([vm, "halted", "running"]);

        await site.RecoverAsync("web", force: true);
        db.FindByUuid("VM", VmUuid).ShouldBe(vm);
        db.GetString("VM", vm, "power_state").ShouldBe("Running");
        Inventory(db).ShouldBe(before);
    }

    [Fact]
    public async Task A_newer_copy_replicated_back_replaces_the_halted_older_VM_without_force()
    {
        string poolB;
        await using (var site = await DrSite.FailoverAsync(folder, Web))
        {
            poolB = site.B.Uuid("pool", site.B.Simulator.Pool.PoolRef);
            await site.RecoverAsync("web");
            await DrCalls.CallWithAsync(site.B, site.DatabaseSession, "session.logout");
            await site.B.CallAsync("SR.enable_database_replication", site.B.Simulator.Database.FindByUuid("SR", DrSite.SrUuid)!);
        }

        // Pool A comes back with its old (version 0) VM and fails back from B's database.
        await using var a = await SharedPool.StartAsync(SharedPool.PoolJson(DrSite.SrUuid, folder, Web));
        var db = a.Simulator.Database;
        var old = db.FindByUuid("VM", VmUuid)!;
        // B wrote its own metadata VDI next to A's (xapi never reuses another pool's): A reads B's.
        string? metadataOfB = null;
        foreach (var vdi in db.Where("VDI", r => (string)r["type"] == "metadata"))
        {
            metadataOfB = (string)await a.CallAsync("VDI.read_database_pool_uuid", vdi) == poolB ? vdi : metadataOfB;
        }

        metadataOfB.ShouldNotBeNull();
        var session = (string)await a.CallAsync("VDI.open_database", metadataOfB);
        var foreign = (string)((IReadOnlyList<object>)await DrCalls.CallWithAsync(a, session, "VM.get_by_name_label", "web")).ShouldHaveSingleItem();
        (await DrCalls.CallWithAsync(a, session, "VM.get_version", foreign)).ShouldBe(1L);

        await DrCalls.CallWithAsync(a, session, "VM.recover", foreign, a.Session, false);
        db.Exists(old).ShouldBeFalse();
        db.Get("VM", db.FindByUuid("VM", VmUuid)!, "version").ShouldBe(2L);
    }

    [Fact]
    public async Task A_missing_disk_fails_with_VDI_LOCATION_MISSING_creating_nothing_and_force_recovers_without_it()
    {
        await using var site = await DrSite.FailoverAsync(folder, Web);
        var db = site.B.Simulator.Database;
        var vdi = db.FindByUuid("VDI", DiskUuid)!;
        db.Set("VDI", vdi, "location", "moved");
        var before = Inventory(db);

        var failure = await Should.ThrowAsync<XenApiFailure>(() => site.RecoverAsync("web"));
        failure.Code.ShouldBe("VDI_LOCATION_MISSING");
        failure.Parameters.ShouldBe([db.FindByUuid("SR", DrSite.SrUuid)!, DiskUuid]);
        Inventory(db).ShouldBe(before);

        await site.RecoverAsync("web", force: true);
        var vm = db.FindByUuid("VM", VmUuid).ShouldNotBeNull();
        db.GetStrings("VM", vm, "VBDs").ShouldAllBe(vbd => db.GetString("VBD", vbd, "type") != "Disk");
        db.GetStrings("VM", vm, "VIFs").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_SR_without_an_attached_PBD_or_missing_is_required_and_recovery_is_refused()
    {
        var vms = Web + """, { "name_label": "local", "disks": [ { "size": "8MiB", "sr": "Local" } ] }""";
        await using var site = await DrSite.FailoverAsync(folder, vms, extraSrsOfA: LocalSr);
        var db = site.B.Simulator.Database;
        var before = Inventory(db);

        var local = await site.ForeignVmAsync("local");
        var foreignLocalSr = (string)((IReadOnlyList<object>)await site.ForeignAsync("SR.get_by_name_label", "Local")).ShouldHaveSingleItem();
        ((IReadOnlyList<object>)await site.ForeignAsync("VM.get_SRs_required_for_recovery", local, site.B.Session)).ShouldBe([foreignLocalSr]);
        var missing = await Should.ThrowAsync<XenApiFailure>(() => site.ForeignAsync("VM.recover", local, site.B.Session, true));
        missing.Code.ShouldBe("VM_REQUIRES_SR");
        missing.Parameters.ShouldBe([local, foreignLocalSr]);

        var web = await site.ForeignVmAsync("web");
        var sr = db.FindByUuid("SR", DrSite.SrUuid)!;
        foreach (var pbd in db.GetStrings("SR", sr, "PBDs"))
        {
            db.Set("PBD", pbd, "currently_attached", false);
        }

        var foreignSr = (string)await site.ForeignAsync("SR.get_by_uuid", DrSite.SrUuid);
        ((IReadOnlyList<object>)await site.ForeignAsync("VM.get_SRs_required_for_recovery", web, site.B.Session)).ShouldBe([foreignSr]);
        var detached = await Should.ThrowAsync<XenApiFailure>(() => site.ForeignAsync("VM.assert_can_be_recovered", web, site.B.Session));
        detached.Code.ShouldBe("VM_REQUIRES_SR");
        detached.Parameters.ShouldBe([web, sr]);
        (await Should.ThrowAsync<XenApiFailure>(() => site.RecoverAsync("web", force: true))).Code.ShouldBe("VM_REQUIRES_SR");
        Inventory(db).ShouldBe(before);
    }

    [Fact]
    public async Task A_CD_on_a_VDI_of_an_SR_the_pool_lacks_fails_with_VDI_CONTENT_ID_MISSING_and_force_ejects_it()
    {
        var vms = """{ "name_label": "local", "disks": [ { "size": "8MiB", "sr": "Local" } ] }""";
        await using var site = await DrSite.FailoverAsync(folder, vms, extraSrsOfA: LocalSr, prepareA: a =>
        {
            var db = a.Simulator.Database;
            db.Set("VBD", db.GetStrings("VM", db.FindByNameLabel("VM", "local").Single(), "VBDs").Single(), "type", "CD");
            return Task.CompletedTask;
        });
        var live = site.B.Simulator.Database;
        var before = Inventory(live);
        ((IReadOnlyList<object>)await site.ForeignAsync("VM.get_SRs_required_for_recovery", await site.ForeignVmAsync("local"), site.B.Session)).ShouldBeEmpty("CDs need no SR");

        var failure = await Should.ThrowAsync<XenApiFailure>(() => site.RecoverAsync("local"));
        failure.Code.ShouldBe("VDI_CONTENT_ID_MISSING");
        failure.Parameters.ShouldBeEmpty();
        Inventory(live).ShouldBe(before);

        await site.RecoverAsync("local", force: true);
        var cd = live.GetStrings("VM", live.FindByNameLabel("VM", "local").Single(), "VBDs").ShouldHaveSingleItem();
        ((bool)live.Get("VBD", cd, "empty")).ShouldBeTrue();
        live.GetString("VBD", cd, "VDI").ShouldBe("OpaqueRef:NULL");
    }

    [Fact]
    public async Task Recovering_a_VM_onto_its_own_pool_needs_force_and_then_replaces_it_from_its_own_record()
    {
        await using var pool = await SharedPool.StartAsync(SharedPool.PoolJson(DrSite.SrUuid, folder, WebWithSnapshot));
        var db = pool.Simulator.Database;
        var vm = db.FindByUuid("VM", VmUuid)!;
        var vbdUuids = db.GetStrings("VM", vm, "VBDs").Select(vbd => db.GetString("VBD", vbd, "uuid")).Order().ToList();
        var refused = await Should.ThrowAsync<XenApiFailure>(() => pool.CallAsync("VM.recover", vm, pool.Session, false));
        refused.Code.ShouldBe("VM_TO_IMPORT_IS_NOT_NEWER_VERSION");
        refused.Parameters.ShouldBe([vm, "0", "0"]);

        await pool.CallAsync("VM.recover", vm, pool.Session, true);
        var replaced = db.FindByUuid("VM", VmUuid).ShouldNotBeNull();
        replaced.ShouldNotBe(vm);
        db.Get("VM", replaced, "version").ShouldBe(1L);
        db.GetStrings("VM", replaced, "VBDs").Select(vbd => db.GetString("VBD", vbd, "uuid")).Order().ShouldBe(vbdUuids);
        db.GetString("VM", db.GetStrings("VM", replaced, "snapshots").ShouldHaveSingleItem(), "name_label").ShouldBe("web-snap");
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

    /// <summary>Every VM, VBD, VIF, network and VM_metrics ref with the VM versions: what a recovery may change.</summary>
    private static List<string> Inventory(PoolDatabase db)
        => [.. new[] { "VM", "VBD", "VIF", "network", "VM_metrics", "VM_guest_metrics" }.SelectMany(db.GetAll).Order(StringComparer.Ordinal),
            .. db.GetAll("VM").Select(vm => $"{vm}:{db.Get("VM", vm, "version")}:{db.GetString("VM", vm, "power_state")}").Order(StringComparer.Ordinal)];
}
