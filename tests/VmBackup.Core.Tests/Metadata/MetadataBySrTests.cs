using VmBackup.Core.Metadata;
using VmBackup.TestKit;
using VmBackup.Xapi;

namespace VmBackup.Core.Tests.Metadata;

/// <summary>
/// The by-SR index (<see cref="MetadataBySr"/>): symlinks in a folder, an index entry in the SR's archive, and
/// <see cref="MetadataRestoreOptions.BySr"/> (<c>xe-restore-metadata -m sr</c>), against XapiSim.
/// </summary>
public sealed class MetadataBySrTests : IDisposable
{
    private const string SecondSrUuid = "5c0e9a6a-1b2c-4d3e-8f40-0a1b2c3d4e02";
    private const string BareUuid = "11111111-2222-4333-8444-555555555509";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vmbackup-metadata-bysr-" + Guid.NewGuid().ToString("N"));

    /// <summary>Two SRs; app has a disk on each, db one on the first; tmpl (custom template) and bare have no disks.</summary>
    private static string PoolA => $$"""
        {
          "pool": {"name_label": "pool-a"}, "default_templates": false,
          {{Srs}}
          "networks": [{"name_label": "net0", "bridge": "xenbr0"}],
          "vms": [
            {"name_label": "app", "uuid": "{{MetadataPools.AppUuid}}",
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{MetadataPools.AppDisk0}}", "sr": "NFS shared"},
                       {"device": "xvdb", "size": "4MiB", "uuid": "{{MetadataPools.AppDisk1}}", "sr": "Second", "name_label": "app data"}]},
            {"name_label": "db", "uuid": "{{MetadataPools.DbUuid}}",
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{MetadataPools.DbDisk0}}", "sr": "NFS shared"}]},
            {"name_label": "tmpl", "uuid": "{{MetadataPools.TemplateUuid}}", "is_a_template": true},
            {"name_label": "bare", "uuid": "{{BareUuid}}"}
          ]
        }
        """;

    /// <summary>The same SRs and disks (held by 'holder' until <see cref="MetadataPools.DropHoldersAsync"/>), no VMs of pool A.</summary>
    private static string PoolB => $$"""
        {
          "pool": {"name_label": "pool-b"}, "default_templates": false,
          {{Srs}}
          "networks": [{"name_label": "net0", "bridge": "xenbr0"}],
          "vms": [
            {"name_label": "holder",
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{MetadataPools.AppDisk0}}", "sr": "NFS shared"},
                       {"device": "xvdb", "size": "4MiB", "uuid": "{{MetadataPools.AppDisk1}}", "sr": "Second", "name_label": "renamed"},
                       {"device": "xvdc", "size": "4MiB", "uuid": "{{MetadataPools.DbDisk0}}", "sr": "NFS shared"}]}
          ]
        }
        """;

    private static string Srs => $$"""
        "srs": [{"name_label": "NFS shared", "type": "nfs", "size": "100GiB", "shared": true, "default": true, "uuid": "{{MetadataPools.SrUuid}}"},
                {"name_label": "Second", "type": "nfs", "size": "100GiB", "shared": true, "uuid": "{{SecondSrUuid}}"}],
        """;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Folder_HoldsRelativeSymlinksToAll_AVmWithDisksOnTwoSrsUnderBoth_AVmWithoutDisksUnderNone()
    {
        var store = new FolderMetadataStore(_root);
        await using var a = await SimulatorFixture.StartAsync(PoolA);
        await using var session = await MetadataPools.ConnectAsync(a);
        var result = await new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        var folder = Path.Combine(_root, result.Set.Name);

        var links = Directory.EnumerateFiles(Path.Combine(folder, "by-sr"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();

        links.ShouldBe(
            [$"by-sr/{MetadataPools.SrUuid}/{MetadataPools.AppUuid}.vmmeta", $"by-sr/{MetadataPools.SrUuid}/{MetadataPools.DbUuid}.vmmeta", $"by-sr/{SecondSrUuid}/{MetadataPools.AppUuid}.vmmeta"],
            "app under both SRs, db under its one; tmpl and bare (no disks) under none");
        foreach (var link in links)
        {
            var path = Path.Combine(folder, link);
            var vm = Path.GetFileName(link);
            new FileInfo(path).LinkTarget.ShouldBe("../../all/" + vm, "a relative symlink, as link-vms-by-sr.py writes");
            File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Path.Combine(folder, "all", vm)));
        }

        var set = await store.ReadAsync(result.Set.Name, CancellationToken.None);
        set.Files.Keys.ShouldNotContain(k => k.StartsWith("by-sr/", StringComparison.Ordinal), "the links are the index, not files");
        set.BySr!.Keys.ShouldBe([MetadataPools.SrUuid, SecondSrUuid]);
        set.BySr[SecondSrUuid].ShouldBe([MetadataPools.AppUuid]);
        var listed = (await store.ListAsync(CancellationToken.None)).ShouldHaveSingleItem();
        listed.Srs.ShouldBe([MetadataPools.SrUuid, SecondSrUuid]);
        listed.ShouldBe(result.Set, "the symlinks count neither as VMs nor as bytes");
    }

    [Fact]
    public async Task Folder_WithoutSymlinks_KeepsTheSameIndexInByDashSrDotIndex()
    {
        var store = new FolderMetadataStore(_root, symlinks: false);
        await using var a = await SimulatorFixture.StartAsync(PoolA);
        await using var session = await MetadataPools.ConnectAsync(a);
        var result = await new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        var folder = Path.Combine(_root, result.Set.Name);

        Directory.Exists(Path.Combine(folder, "by-sr")).ShouldBeFalse("a CIFS share has no symlinks");
        File.ReadAllText(Path.Combine(folder, "by-sr.index")).ShouldContain($"{SecondSrUuid}/{MetadataPools.AppUuid}.vmmeta");
        var set = await store.ReadAsync(result.Set.Name, CancellationToken.None);
        set.Files.Keys.ShouldNotContain("by-sr.index", "the index is not a data file");
        set.BySr!.Keys.ShouldBe([MetadataPools.SrUuid, SecondSrUuid]);
        set.BySr[MetadataPools.SrUuid].ShouldBe([MetadataPools.AppUuid, MetadataPools.DbUuid], ignoreOrder: true);
        (await store.ListAsync(CancellationToken.None)).ShouldHaveSingleItem().ShouldBe(result.Set, "the index counts neither as a VM nor as bytes");
    }

    [Fact]
    public async Task Compute_FollowsLinkVmsBySr_IsoSrIncluded_EmptyCdAndSnapshotsLeftOut()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await MetadataPools.ConnectAsync(sim);
        var set = await new MetadataBackupService(session).CollectAsync(TimeProvider.System, CancellationToken.None);
        var srs = await session.Sr.GetAllRecordsAsync(CancellationToken.None);
        var vms = await session.Vm.GetAllRecordsAsync(CancellationToken.None);
        string Sr(string name) => srs.Values.Single(s => s.NameLabel == name).Uuid;
        List<string> Names(string sr) => [.. set.BySr![Sr(sr)].Select(u => vms.Values.Single(v => v.Uuid == u).NameLabel).Order(StringComparer.Ordinal)];

        set.BySr!.Keys.Order(StringComparer.Ordinal).ShouldBe(new[] { Sr("Local storage"), Sr("NFS shared"), Sr("ISO library") }.Order(StringComparer.Ordinal));
        Names("NFS shared").ShouldBe(["PROD-db", "PROD-web", "TMPL-debian-golden"], "custom templates are linked; PROD-web's empty CD adds nothing; no snapshot");
        Names("Local storage").ShouldBe(["DEV-build", "DEV-test"]);
        Names("ISO library").ShouldBe(["DEV-build"], "its CD holds an ISO of that SR");
    }

    [Fact]
    public async Task RestoreBySr_IntoASecondPool_RestoresExactlyTheVmsOfThatSr_ByNameOrUuid_AndAnSrNotIndexedIsRefused()
    {
        var store = new FolderMetadataStore(_root);
        await using (var a = await SimulatorFixture.StartAsync(PoolA))
        {
            await using var sessionA = await MetadataPools.ConnectAsync(a);
            await new MetadataBackupService(sessionA).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        }

        await using var b = await SimulatorFixture.StartAsync(PoolB);
        await using var session = await MetadataPools.ConnectAsync(b);
        await MetadataPools.DropHoldersAsync(session);
        var service = new MetadataRestoreService(session);
        var vmsBefore = b.Simulator.Database.Count("VM");

        var dry = await service.RestoreAsync(store, new MetadataRestoreOptions { BySr = MetadataPools.SrUuid, DryRun = true }, CancellationToken.None);
        b.Simulator.Database.Count("VM").ShouldBe(vmsBefore);
        var done = await service.RestoreAsync(store, new MetadataRestoreOptions { BySr = "Second" }, CancellationToken.None);
        var unknown = await Should.ThrowAsync<MetadataBackupException>(() => service.RestoreAsync(store, new MetadataRestoreOptions { BySr = "nope" }, CancellationToken.None));

        Outcomes(dry).ShouldBe([("app", MetadataRestoreOutcome.WouldCreate), ("db", MetadataRestoreOutcome.WouldCreate)], ignoreOrder: true);
        Outcomes(done).ShouldBe([("app", MetadataRestoreOutcome.Created)]);
        b.Simulator.Database.Count("VM").ShouldBe(vmsBefore + 1);
        b.Simulator.Database.FindByUuid("VM", MetadataPools.DbUuid).ShouldBeNull("db has no disk on 'Second'");
        b.Simulator.Database.FindByUuid("VM", MetadataPools.TemplateUuid).ShouldBeNull();
        b.Simulator.Database.FindByUuid("VM", BareUuid).ShouldBeNull();
        (await session.Vdi.GetNameLabelAsync(await session.Vdi.GetByUuidAsync(MetadataPools.AppDisk1, CancellationToken.None), CancellationToken.None)).ShouldBe("app data", "the names of that SR's VDIs are set back");
        unknown.Message.ShouldStartWith("SR 'nope' is not in the by-SR index of metadata backup ");
    }

    [Fact]
    public async Task SrArchive_KeepsTheIndex_ListsItsSrs_AndRestoreBySrReadsIt()
    {
        await using var a = await SimulatorFixture.StartAsync(PoolA);
        await using var session = await MetadataPools.ConnectAsync(a);
        var store = await SrMetadataStore.OpenAsync(session, "NFS shared", PoolMetadataVdi.DefaultSize, CancellationToken.None);
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero));
        var service = new MetadataBackupService(session);
        var first = await service.BackUpAsync(store, new MetadataBackupOptions { TimeProvider = clock }, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        await service.BackUpAsync(store, new MetadataBackupOptions { TimeProvider = clock }, CancellationToken.None);

        var listed = await store.ListAsync(CancellationToken.None);
        listed.Count.ShouldBe(2);
        listed.ShouldAllBe(s => s.Srs!.SequenceEqual(new[] { MetadataPools.SrUuid, SecondSrUuid }));
        listed[1].ShouldBe(first.Set, "the index survives being copied into the next archive and is not counted in bytes");
        var set = await store.ReadAsync(first.Set.Name, CancellationToken.None);
        set.Files.Keys.ShouldNotContain(MetadataFileNames.BySrIndex);
        set.BySr![MetadataPools.SrUuid].ShouldBe([MetadataPools.AppUuid, MetadataPools.DbUuid]);
        foreach (var name in new[] { "app", "bare" })
        {
            await DestroyAsync(session, name);
        }

        var done = await new MetadataRestoreService(session).RestoreAsync(store, new MetadataRestoreOptions { BySr = "Second" }, CancellationToken.None);

        Outcomes(done).ShouldBe([("app", MetadataRestoreOutcome.Created)]);
        a.Simulator.Database.FindByUuid("VM", BareUuid).ShouldBeNull("bare has no disk: it is under no SR");
    }

    [Fact]
    public async Task AnOldBackupWithoutTheIndex_ListsAndRestoresAsBefore_ButBySrIsRefused()
    {
        var store = new FolderMetadataStore(_root);
        await using var a = await SimulatorFixture.StartAsync(PoolA);
        await using var session = await MetadataPools.ConnectAsync(a);
        var backup = new MetadataBackupService(session);
        var set = await backup.CollectAsync(TimeProvider.System, CancellationToken.None);
        await store.SaveAsync(set with { BySr = null }, 5, CancellationToken.None);
        var srStore = await SrMetadataStore.OpenAsync(session, "NFS shared", PoolMetadataVdi.DefaultSize, CancellationToken.None);
        await srStore.SaveAsync(set with { BySr = null }, 5, CancellationToken.None);
        Directory.Exists(Path.Combine(_root, set.Name, "by-sr")).ShouldBeFalse();
        await DestroyAsync(session, "bare");
        var service = new MetadataRestoreService(session);

        foreach (var old in new IMetadataStore[] { store, srStore })
        {
            (await old.ListAsync(CancellationToken.None)).ShouldHaveSingleItem().Srs.ShouldBeNull();
            (await old.ReadAsync(set.Name, CancellationToken.None)).BySr.ShouldBeNull();
            var refused = await Should.ThrowAsync<MetadataBackupException>(() => service.RestoreAsync(old, new MetadataRestoreOptions { BySr = MetadataPools.SrUuid, DryRun = true }, CancellationToken.None));
            refused.Message.ShouldBe($"metadata backup {set.Name} has no by-SR index (written before vmbackup recorded one): restore it whole or with --vm");
        }

        var done = await service.RestoreAsync(store, new MetadataRestoreOptions(), CancellationToken.None);
        done.Items.Single(i => i.VmName == "bare").Outcome.ShouldBe(MetadataRestoreOutcome.Created);
        done.Items.Count(i => i.Outcome == MetadataRestoreOutcome.Conflict).ShouldBe(3);
    }

    private static List<(string, MetadataRestoreOutcome)> Outcomes(MetadataRestoreResult result) =>
        [.. result.Items.Select(i => (i.VmName, i.Outcome))];

    private static async Task DestroyAsync(XenApiSession session, string name)
    {
        foreach (var vm in await session.Vm.GetByNameLabelAsync(name, CancellationToken.None))
        {
            foreach (var vbd in await session.Vm.GetVbdsAsync(vm, CancellationToken.None))
            {
                await session.Vbd.DestroyAsync(vbd, CancellationToken.None);
            }

            await session.Vm.DestroyAsync(vm, CancellationToken.None);
        }
    }
}
