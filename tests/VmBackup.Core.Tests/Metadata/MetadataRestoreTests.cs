using VmBackup.Core.Metadata;
using VmBackup.TestKit;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Tests.Metadata;

/// <summary>
/// <see cref="MetadataRestoreService"/>: metadata backed up on pool A, restored into pool B, which sees the same SR and
/// disks: same uuids in its pool file, or a replicated SR folder that both simulators share.
/// </summary>
public sealed class MetadataRestoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vmbackup-metadata-restore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task IntoASecondPool_DryRunCreatesNothing_ThenVmsComeBackWithUuidMemoryVcpusVifsAndDisks_AndAnExistingVmIsAConflict()
    {
        var store = new FolderMetadataStore(_root);
        await using (var a = await SimulatorFixture.StartAsync(MetadataPools.PoolA))
        {
            await using var sessionA = await MetadataPools.ConnectAsync(a);
            await new MetadataBackupService(sessionA).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        }

        await using var b = await SimulatorFixture.StartAsync(MetadataPools.PoolB);
        await using var session = await MetadataPools.ConnectAsync(b);
        await MetadataPools.DropHoldersAsync(session);
        var service = new MetadataRestoreService(session);
        var vmsBefore = b.Simulator.Database.Count("VM");
        var vbdsBefore = b.Simulator.Database.Count("VBD");

        var dry = await service.RestoreAsync(store, new MetadataRestoreOptions { DryRun = true }, CancellationToken.None);

        Outcomes(dry).ShouldBe(
            [("app", MetadataRestoreOutcome.WouldCreate), ("db", MetadataRestoreOutcome.Conflict), ("tmpl", MetadataRestoreOutcome.WouldCreate), ("lost", MetadataRestoreOutcome.Failed)],
            ignoreOrder: true);
        b.Simulator.Database.Count("VM").ShouldBe(vmsBefore, "a dry run creates nothing");
        b.Simulator.Database.Count("VBD").ShouldBe(vbdsBefore);

        var done = await service.RestoreAsync(store, new MetadataRestoreOptions(), CancellationToken.None);

        Outcomes(done).ShouldBe(
            [("app", MetadataRestoreOutcome.Created), ("db", MetadataRestoreOutcome.Conflict), ("tmpl", MetadataRestoreOutcome.Created), ("lost", MetadataRestoreOutcome.Failed)],
            ignoreOrder: true);
        done.Items.Single(i => i.VmName == "db").Detail!.ShouldContain("'db-here'");
        done.Items.Single(i => i.VmName == "lost").Detail!.ShouldContain("VDI_LOCATION_MISSING", customMessage: "its disk is not on pool B's SRs (xapi's import.ml: no VDI of that location in the SR of the same uuid)");
        (await session.Vm.GetByNameLabelAsync("lost", CancellationToken.None)).ShouldBeEmpty();
        var app = await session.Vm.GetRecordAsync(await session.Vm.GetByUuidAsync(MetadataPools.AppUuid, CancellationToken.None), CancellationToken.None);
        app.NameLabel.ShouldBe("app");
        app.MemoryStaticMax.ShouldBe(2L << 30);
        app.VcpusMax.ShouldBe(2);
        app.Vifs.Count.ShouldBe(2);
        (await DisksAsync(session, app)).ShouldBe([("0", MetadataPools.AppDisk0), ("1", MetadataPools.AppDisk1)]);
        (await session.Vm.GetRecordAsync(await session.Vm.GetByUuidAsync(MetadataPools.TemplateUuid, CancellationToken.None), CancellationToken.None)).IsATemplate.ShouldBeTrue();
        var db = await session.Vm.GetRecordAsync(await session.Vm.GetByUuidAsync(MetadataPools.DbUuid, CancellationToken.None), CancellationToken.None);
        db.NameLabel.ShouldBe("db-here", "the existing VM is not overwritten");
        db.MemoryStaticMax.ShouldBe(3L << 30);
        done.VdiNamesRestored.ShouldBeGreaterThanOrEqualTo(1);
        (await session.Vdi.GetNameLabelAsync(await session.Vdi.GetByUuidAsync(MetadataPools.AppDisk0, CancellationToken.None), CancellationToken.None)).ShouldBe("app root", "SRMETA.xml's names are set back");
    }

    [Fact]
    public async Task FromTheSrTarget_IntoASecondPoolOnTheReplicatedSr_VmsComeBackOnTheSameDisksWithTheSameBytes()
    {
        // Pool A keeps its VMs' disks and its metadata backup VDI on a replicated SR (a folder both simulators share).
        var storage = Path.Combine(_root, "replicated-lun");
        Directory.CreateDirectory(storage);
        var srUuid = MetadataPools.SrUuid;
        string Pool(string name, string vms) => $$"""
            {
              "pool": {"name_label": "{{name}}"}, "default_templates": false,
              "srs": [{"name_label": "Replicated", "type": "lvmoiscsi", "shared": true, "default": true, "uuid": "{{srUuid}}",
                       "shared_storage": {{System.Text.Json.JsonSerializer.Serialize(storage)}}}],
              "networks": [{"name_label": "net0", "bridge": "xenbr0"}],
              "vms": [{{vms}}]
            }
            """;
        byte[] diskBytes;
        await using (var a = await SimulatorFixture.StartAsync(Pool("site-a", $$"""
            {"name_label": "app", "uuid": "{{MetadataPools.AppUuid}}", "memory": "2GiB", "vcpus": 2,
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{MetadataPools.AppDisk0}}", "fill": 1, "seed": 9}],
             "vifs": [{"device": "0"}]}
            """)))
        {
            await using var sessionA = await MetadataPools.ConnectAsync(a);
            var target = await SrMetadataStore.OpenAsync(sessionA, "Replicated", PoolMetadataVdi.DefaultSize, CancellationToken.None);
            await new MetadataBackupService(sessionA).BackUpAsync(target, new MetadataBackupOptions(), CancellationToken.None);
            var pool = a.Simulator.Pool;
            diskBytes = new byte[4 << 20];
            pool.Disks.Read(pool.DiskOf(a.Simulator.Database.FindByUuid("VDI", MetadataPools.AppDisk0)!)!, 0, diskBytes);
        }

        // Site A is gone; pool B starts on the replicated storage with no VMs of its own.
        await using var b = await SimulatorFixture.StartAsync(Pool("site-b", string.Empty));
        await using var session = await MetadataPools.ConnectAsync(b);
        b.Simulator.Database.FindByUuid("VM", MetadataPools.AppUuid).ShouldBeNull();
        var store = await SrMetadataStore.OpenAsync(session, "Replicated", PoolMetadataVdi.DefaultSize, CancellationToken.None);
        (await store.ListAsync(CancellationToken.None)).Count.ShouldBe(1, "the backup written on site A is read on site B");

        var done = await new MetadataRestoreService(session).RestoreAsync(store, new MetadataRestoreOptions(), CancellationToken.None);

        Outcomes(done).ShouldBe([("app", MetadataRestoreOutcome.Created)]);
        var app = await session.Vm.GetRecordAsync(await session.Vm.GetByUuidAsync(MetadataPools.AppUuid, CancellationToken.None), CancellationToken.None);
        app.MemoryStaticMax.ShouldBe(2L << 30);
        app.VcpusMax.ShouldBe(2);
        app.Vifs.Count.ShouldBe(1);
        (await DisksAsync(session, app)).ShouldBe([("0", MetadataPools.AppDisk0)]);
        var onB = new byte[4 << 20];
        b.Simulator.Pool.Disks.Read(b.Simulator.Pool.DiskOf(b.Simulator.Database.FindByUuid("VDI", MetadataPools.AppDisk0)!)!, 0, onB);
        onB.AsSpan().SequenceEqual(diskBytes).ShouldBeTrue("the restored VM runs on the replicated disk itself");
    }

    [Fact]
    public async Task OnlyTheNamedVm_IsRestored_AndAnUnknownNameIsRefused()
    {
        var store = new FolderMetadataStore(_root);
        await using (var a = await SimulatorFixture.StartAsync(MetadataPools.PoolA))
        {
            await using var sessionA = await MetadataPools.ConnectAsync(a);
            await new MetadataBackupService(sessionA).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        }

        await using var b = await SimulatorFixture.StartAsync(MetadataPools.PoolB);
        await using var session = await MetadataPools.ConnectAsync(b);
        await MetadataPools.DropHoldersAsync(session);
        var service = new MetadataRestoreService(session);

        var done = await service.RestoreAsync(store, new MetadataRestoreOptions { Vms = ["tmpl"] }, CancellationToken.None);
        var unknown = await Should.ThrowAsync<MetadataBackupException>(() => service.RestoreAsync(store, new MetadataRestoreOptions { Vms = ["nope"] }, CancellationToken.None));

        Outcomes(done).ShouldBe([("tmpl", MetadataRestoreOutcome.Created)]);
        (await session.Vm.GetByNameLabelAsync("app", CancellationToken.None)).ShouldBeEmpty();
        unknown.Message.ShouldContain("no VM 'nope' in metadata backup");
    }

    [Theory]
    [InlineData(null, "2026-05-04-14-00-00")]
    [InlineData("2026-05-03", "2026-05-03-23-00-00")]
    [InlineData("2026-05-03 09:30", "2026-05-03-09-30-00")]
    [InlineData("2026-05-03T09:30:00Z", "2026-05-03-09-30-00")]
    public void Choose_TakesTheNewest_OrTheNewestMatchingTheDate(string? date, string expected)
    {
        string[] names = ["2026-05-04-14-00-00", "2026-05-03-23-00-00", "2026-05-03-09-30-00"];
        var sets = names.Select(n => new MetadataSetInfo(n, default, 1, 1)).ToList();

        MetadataRestoreService.Choose(sets, date).Name.ShouldBe(expected);
        Should.Throw<MetadataBackupException>(() => MetadataRestoreService.Choose(sets, "2026-06")).Message.ShouldContain("no metadata backup of 2026-06");
        Should.Throw<MetadataBackupException>(() => MetadataRestoreService.Choose([], null)).Message.ShouldBe("there is no metadata backup");
    }

    private static List<(string, MetadataRestoreOutcome)> Outcomes(MetadataRestoreResult result) =>
        [.. result.Items.Select(i => (i.VmName, i.Outcome))];

    private static async Task<List<(string, string)>> DisksAsync(XenApiSession session, VmRecord vm)
    {
        var disks = new List<(string, string)>();
        foreach (var vbdRef in vm.Vbds)
        {
            var vbd = await session.Vbd.GetRecordAsync(vbdRef, CancellationToken.None);
            if (vbd.Type == VbdType.Disk && !vbd.Vdi.IsNull)
            {
                disks.Add((vbd.Userdevice, await session.Vdi.GetUuidAsync(vbd.Vdi, CancellationToken.None)));
            }
        }

        return [.. disks.OrderBy(d => d.Item1, StringComparer.Ordinal)];
    }
}
