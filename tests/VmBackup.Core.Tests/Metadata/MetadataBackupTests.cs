using VmBackup.Core.Metadata;
using VmBackup.TestKit;

namespace VmBackup.Core.Tests.Metadata;

/// <summary><see cref="MetadataBackupService"/> into a folder, against XapiSim's sample pool.</summary>
public sealed class MetadataBackupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vmbackup-metadata-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task TwentySevenBackups_LeaveExactlyTheNewest25()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await MetadataPools.ConnectAsync(sim);
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var store = new FolderMetadataStore(_root);
        var service = new MetadataBackupService(session);
        var names = new List<string>();
        for (var i = 0; i < 27; i++)
        {
            var result = await service.BackUpAsync(store, new MetadataBackupOptions { TimeProvider = clock }, CancellationToken.None);
            names.Add(result.Set.Name);
            clock.Advance(TimeSpan.FromMinutes(7));
        }

        var listed = await store.ListAsync(CancellationToken.None);
        listed.Count.ShouldBe(25);
        listed.Select(s => s.Name).ShouldBe(names.Skip(2).Reverse());
        Directory.GetDirectories(_root).Length.ShouldBe(25, "no .partial folder is left");
        new MetadataBackupOptions().Keep.ShouldBe(25);
    }

    [Fact]
    public async Task EachVmmeta_IsATarWhoseOvaXml_ListsTheVmsDisksAndVifs_SnapshotsIncluded()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await MetadataPools.ConnectAsync(sim);
        var store = new FolderMetadataStore(_root);
        var result = await new MetadataBackupService(session).BackUpAsync(store, new MetadataBackupOptions(), CancellationToken.None);
        var set = await store.ReadAsync(result.Set.Name, CancellationToken.None);

        var vms = await session.Vm.GetAllRecordsAsync(CancellationToken.None);
        var expected = vms.Values.Where(MetadataBackupService.IsBackedUp).Select(v => v.Uuid).Order(StringComparer.Ordinal).ToList();
        expected.Count.ShouldBe(5, "PROD-web, PROD-db, DEV-test, DEV-build, TMPL-debian-golden: no dom0, no stock template, no separate snapshot");
        result.Set.Vms.ShouldBe(5);
        set.Files.Keys.Where(MetadataFileNames.IsVmFile).ShouldBe(expected.Select(MetadataFileNames.VmFile));
        set.Files[MetadataFileNames.PoolDatabase].Length.ShouldBeGreaterThan(0);
        var srMeta = SrMetaXml.ReadVdiNames(set.Files[MetadataFileNames.SrMeta]);

        foreach (var (vmRef, vm) in vms.Where(v => MetadataBackupService.IsBackedUp(v.Value)))
        {
            var ova = await VmMetadataFile.ReadOvaAsync(set.Files[MetadataFileNames.VmFile(vm.Uuid)], CancellationToken.None);
            VmMetadataFile.Identity(ova).ShouldBe((vm.Uuid, vm.NameLabel));
            var ovaVbds = ova.Vbds.Where(b => b.GetString("VM") == ova.Vm!.Id).ToList();
            ovaVbds.Count.ShouldBe(vm.Vbds.Count, vm.NameLabel);
            ova.Vifs.Count(f => f.GetString("VM") == ova.Vm!.Id).ShouldBe(vm.Vifs.Count, vm.NameLabel);
            foreach (var vbdRef in vm.Vbds)
            {
                var vbd = await session.Vbd.GetRecordAsync(vbdRef, CancellationToken.None);
                if (vbd.Vdi.IsNull)
                {
                    continue;
                }

                var vdi = await session.Vdi.GetRecordAsync(vbd.Vdi, CancellationToken.None);
                ova.Vdis.Select(d => d.GetString("uuid")).ShouldContain(vdi.Uuid, $"{vm.NameLabel} {vbd.Userdevice}");
                srMeta[vdi.Uuid].NameLabel.ShouldBe(vdi.NameLabel);
            }
        }

        var web = vms.Values.Single(v => v.NameLabel == "PROD-web");
        var webOva = await VmMetadataFile.ReadOvaAsync(set.Files[MetadataFileNames.VmFile(web.Uuid)], CancellationToken.None);
        webOva.OfClass("VM").Select(o => o.GetString("name_label")).ShouldContain("PROD-web before upgrade");
    }
}
