using VmBackup.Core.Metadata;
using VmBackup.TestKit;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Tests.Metadata;

/// <summary><see cref="SrMetadataStore"/>: metadata backups inside the SR's 'Pool Metadata Backup' VDI, against XapiSim.</summary>
public sealed class SrMetadataStoreTests
{
    [Fact]
    public async Task FirstUse_CreatesTheVdi_ThreeBackupsRoundTrip_AndOneThatDoesNotFit_LeavesThemUnchanged()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await MetadataPools.ConnectAsync(sim);
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero));
        var store = await SrMetadataStore.OpenAsync(session, "NFS shared", PoolMetadataVdi.DefaultSize, CancellationToken.None);
        (await store.FindVdiAsync(CancellationToken.None)).ShouldBeNull();
        (await store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
        var service = new MetadataBackupService(session);
        var written = new List<MetadataSetInfo>();
        for (var i = 0; i < 3; i++)
        {
            written.Add((await service.BackUpAsync(store, new MetadataBackupOptions { TimeProvider = clock }, CancellationToken.None)).Set);
            clock.Advance(TimeSpan.FromHours(1));
        }

        var vdis = await session.Vdi.GetByNameLabelAsync(PoolMetadataVdi.NameLabel, CancellationToken.None);
        vdis.Count.ShouldBe(1, "created once, then reused");
        var vdi = await session.Vdi.GetRecordAsync(vdis[0], CancellationToken.None);
        vdi.VirtualSize.ShouldBe(500L * 1024 * 1024);
        vdi.Type.ShouldBe(VdiType.User);
        vdi.OtherConfig["ctxs-pool-backup"].ShouldBe("true");
        var sr = await session.Sr.GetRecordAsync(vdi.Sr, CancellationToken.None);
        sr.NameLabel.ShouldBe("NFS shared");
        vdi.Uuid.ShouldBe(PoolMetadataVdi.DeriveUuid(sr.Uuid), "XAPI names this VDI uuid5(namespace, sr uuid)");
        var listed = await store.ListAsync(CancellationToken.None);
        listed.ShouldBe(written.AsEnumerable().Reverse().ToList());
        var middle = await store.ReadAsync(written[1].Name, CancellationToken.None);
        middle.Info().ShouldBe(written[1]);
        (await VmMetadataFile.ReadOvaAsync(middle.Files.First(f => MetadataFileNames.IsVmFile(f.Key)).Value, CancellationToken.None)).Vm.ShouldNotBeNull();

        // A limit below what four backups take: refused with a clear error, the VDI keeps the three.
        var small = await SrMetadataStore.OpenAsync(session, "NFS shared", listed.Sum(s => s.Bytes), CancellationToken.None);
        var refused = await Should.ThrowAsync<MetadataBackupException>(() => service.BackUpAsync(small, new MetadataBackupOptions { TimeProvider = clock }, CancellationToken.None));

        refused.Message.ShouldContain("the metadata backup does not fit");
        refused.Message.ShouldContain("the earlier backups are unchanged");
        (await store.ListAsync(CancellationToken.None)).ShouldBe(listed);
    }

    [Fact]
    public async Task AVdiWithTheDerivedUuid_IsFoundByUuid_WhateverItsName()
    {
        var json = SimulatorFixture.SamplePoolJson();
        var pool = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        const string srUuid = "0b0a0c0d-1111-4222-8333-444455556666";
        pool["srs"]![1]!["uuid"] = srUuid;
        pool["vms"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"name_label": "holder", "disks": [{"device": "xvda", "size": "4MiB", "sr": "NFS shared", "name_label": "renamed", "uuid": "{{PoolMetadataVdi.DeriveUuid(srUuid)}}"}]}
            """));
        await using var sim = await SimulatorFixture.StartAsync(pool.ToJsonString());
        await using var session = await MetadataPools.ConnectAsync(sim);
        var store = await SrMetadataStore.OpenAsync(session, srUuid, PoolMetadataVdi.DefaultSize, CancellationToken.None);

        var found = await store.FindVdiAsync(CancellationToken.None);
        found.ShouldNotBeNull();
        found.NameLabel.ShouldBe("renamed");
        var result = await new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);

        result.Kept.ShouldHaveSingleItem().Name.ShouldBe(result.Set.Name);
        result.Store.ShouldContain("NFS shared");
        (await session.Vdi.GetByNameLabelAsync(PoolMetadataVdi.NameLabel, CancellationToken.None)).ShouldBeEmpty("no second VDI is created");
    }

    [Fact]
    public async Task AFirstBackupOverTheLimit_CreatesNoVdi()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await MetadataPools.ConnectAsync(sim);
        var store = await SrMetadataStore.OpenAsync(session, "NFS shared", 4096, CancellationToken.None);

        var refused = await Should.ThrowAsync<MetadataBackupException>(() => new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None));

        refused.Message.ShouldContain("holds at most 0.0 MiB");
        (await store.FindVdiAsync(CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task AVdiHoldingForeignData_IsNeitherReadNorOverwritten()
    {
        var pool = System.Text.Json.Nodes.JsonNode.Parse(SimulatorFixture.SamplePoolJson())!;
        const string srUuid = "0b0a0c0d-1111-4222-8333-444455557777";
        pool["srs"]![1]!["uuid"] = srUuid;
        pool["vms"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"name_label": "holder", "disks": [{"device": "xvda", "size": "4MiB", "sr": "NFS shared", "fill": 1, "seed": 9, "uuid": "{{PoolMetadataVdi.DeriveUuid(srUuid)}}"}]}
            """));
        await using var sim = await SimulatorFixture.StartAsync(pool.ToJsonString());
        await using var session = await MetadataPools.ConnectAsync(sim);
        var store = await SrMetadataStore.OpenAsync(session, "NFS shared", PoolMetadataVdi.DefaultSize, CancellationToken.None);

        var list = await Should.ThrowAsync<MetadataBackupException>(() => store.ListAsync(CancellationToken.None));
        var backup = await Should.ThrowAsync<MetadataBackupException>(() => new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None));

        list.Message.ShouldContain("holds data vmbackup did not write");
        backup.Message.ShouldContain("neither reads nor overwrites it");
    }
}
