using VmBackup.Core.Restore;
using VmBackup.TestKit;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Cli.Tests;

/// <summary>
/// Back up with the NAUbackup engine, restore (new identity, then <c>--preserve</c>), export the restored disks raw and
/// compare their SHA-256 with the originals; the restored VM has the original's memory, vCPUs, VIFs (and MACs when
/// preserved), disk devices and sizes.
/// </summary>
public sealed class RestoreRoundTripTests : IDisposable
{
    private readonly RestoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("PROD-db", "False", ".xva")]
    [InlineData("DEV-test", "True", ".xva.gz")]
    [InlineData("DEV-test", "zstd", ".xva.zst")]
    public async Task Xva_RestoresNewIdentityThenPreserved_WithIdenticalDisks(string vm, string compress, string extension)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var original = await NauBackupHarness.VmAsync(session, vm);
        var originalRecord = await session.Vm.GetRecordAsync(original, CancellationToken.None);
        var originalHashes = await RestoreHarness.DiskHashesAsync(session, original);
        var originalLayout = await RestoreHarness.DiskLayoutAsync(session, original);
        var originalMacs = await RestoreHarness.MacsAsync(session, originalRecord);
        var folder = await _h.BackUpAsync(sim, vm, "vm-export=" + vm, "compress=" + compress);
        File.Exists(Path.Combine(folder, vm + extension)).ShouldBeTrue();

        // New identity, beside the original.
        var copy = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = vm + "-copy", Sr = "Local storage" });

        var copyRef = new XenRef<VmRecord>(copy.VmRef!);
        var copyRecord = await session.Vm.GetRecordAsync(copyRef, CancellationToken.None);
        copyRecord.NameLabel.ShouldBe(vm + "-copy");
        copyRecord.IsATemplate.ShouldBeFalse();
        copyRecord.Uuid.ShouldNotBe(originalRecord.Uuid);
        copyRecord.MemoryStaticMax.ShouldBe(originalRecord.MemoryStaticMax);
        copyRecord.VcpusMax.ShouldBe(originalRecord.VcpusMax);
        copyRecord.Vifs.Count.ShouldBe(originalRecord.Vifs.Count);
        (await RestoreHarness.MacsAsync(session, copyRecord)).ShouldNotContain(m => originalMacs.Contains(m));
        (await RestoreHarness.DiskLayoutAsync(session, copyRef)).ShouldBe(originalLayout);
        (await RestoreHarness.DiskHashesAsync(session, copyRef)).ShouldBe(originalHashes);
        copy.Disks.Count.ShouldBe(originalLayout.Count);
        copy.BytesSent.ShouldBe(new FileInfo(Path.Combine(folder, vm + extension)).Length);

        // --preserve is refused while the original exists, and creates nothing.
        var before = RestoreHarness.Counts(sim);
        var refused = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true, NewName = vm + "-p" }));
        refused.Message.ShouldContain("still exists on the pool");
        RestoreHarness.Counts(sim).ShouldBe(before);

        // The original is lost: --preserve brings back its name and MACs.
        if (originalRecord.PowerState != VmPowerState.Halted)
        {
            await session.Vm.HardShutdownAsync(original, CancellationToken.None);
        }

        await session.Vm.DestroyAsync(original, CancellationToken.None);
        var preserved = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true });

        var preservedRef = new XenRef<VmRecord>(preserved.VmRef!);
        var preservedRecord = await session.Vm.GetRecordAsync(preservedRef, CancellationToken.None);
        var source = await RestoreSourceReader.LoadAsync(folder, CancellationToken.None);
        preservedRecord.NameLabel.ShouldBe(vm);
        preservedRecord.Uuid.ShouldBe(source.XvaMetadata!.Vm!.GetString("uuid"));
        (await RestoreHarness.MacsAsync(session, preservedRecord)).ShouldBe(originalMacs);
        preservedRecord.MemoryStaticMax.ShouldBe(originalRecord.MemoryStaticMax);
        preservedRecord.VcpusMax.ShouldBe(originalRecord.VcpusMax);
        (await RestoreHarness.DiskLayoutAsync(session, preservedRef)).ShouldBe(originalLayout);
        (await RestoreHarness.DiskHashesAsync(session, preservedRef)).ShouldBe(originalHashes);
    }

    [Theory]
    [InlineData("DEV-test", "raw")]
    [InlineData("DEV-test", "vhd")]
    [InlineData("PROD-db", "raw")]
    [InlineData("PROD-db", "vhd")]
    public async Task VdiExport_CreatesTheVmFromMetadata_WithIdenticalXvda(string vm, string format)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var original = await NauBackupHarness.VmAsync(session, vm);
        var originalRecord = await session.Vm.GetRecordAsync(original, CancellationToken.None);
        var originalXvda = (await RestoreHarness.DiskHashesAsync(session, original))[0];
        var originalLayout = await RestoreHarness.DiskLayoutAsync(session, original);
        var originalMacs = await RestoreHarness.MacsAsync(session, originalRecord);
        var folder = await _h.BackUpAsync(sim, vm, "vdi-export=" + vm, "vdi_export_format=" + format);

        var copy = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = vm + "-copy" });

        var copyRef = new XenRef<VmRecord>(copy.VmRef!);
        var copyRecord = await session.Vm.GetRecordAsync(copyRef, CancellationToken.None);
        copyRecord.NameLabel.ShouldBe(vm + "-copy");
        copyRecord.IsATemplate.ShouldBeFalse();
        copyRecord.PowerState.ShouldBe(VmPowerState.Halted);
        copyRecord.MemoryStaticMax.ShouldBe(originalRecord.MemoryStaticMax);
        copyRecord.MemoryDynamicMax.ShouldBe(originalRecord.MemoryDynamicMax);
        copyRecord.VcpusMax.ShouldBe(originalRecord.VcpusMax);
        copyRecord.VcpusAtStartup.ShouldBe(originalRecord.VcpusAtStartup);
        copyRecord.Vifs.Count.ShouldBe(originalRecord.Vifs.Count);
        (await RestoreHarness.MacsAsync(session, copyRecord)).ShouldNotContain(m => originalMacs.Contains(m));
        (await RestoreHarness.DiskLayoutAsync(session, copyRef)).ShouldBe([originalLayout[0]]);
        (await RestoreHarness.DiskHashesAsync(session, copyRef)).ShouldBe([originalXvda]);
        copy.Notes.Count.ShouldBe(originalLayout.Count - 1, string.Join('\n', copy.Notes));

        // --preserve is refused while the original exists, and creates nothing.
        var counts = RestoreHarness.Counts(sim);
        var refused = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true, NewName = vm + "-p" }));
        refused.Message.ShouldContain(originalRecord.Uuid);
        RestoreHarness.Counts(sim).ShouldBe(counts);

        if (originalRecord.PowerState != VmPowerState.Halted)
        {
            await session.Vm.HardShutdownAsync(original, CancellationToken.None);
        }

        await session.Vm.DestroyAsync(original, CancellationToken.None);
        var preserved = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true, Start = true });

        var preservedRef = new XenRef<VmRecord>(preserved.VmRef!);
        var preservedRecord = await session.Vm.GetRecordAsync(preservedRef, CancellationToken.None);
        preserved.VmUuid.ShouldBe(originalRecord.Uuid);
        preservedRecord.Uuid.ShouldBe(originalRecord.Uuid, "the VM comes back through /import_metadata?restore=true");
        preservedRecord.NameLabel.ShouldBe(vm);
        preservedRecord.PowerState.ShouldBe(VmPowerState.Running);
        preservedRecord.MemoryStaticMax.ShouldBe(originalRecord.MemoryStaticMax);
        preservedRecord.MemoryDynamicMax.ShouldBe(originalRecord.MemoryDynamicMax);
        preservedRecord.VcpusMax.ShouldBe(originalRecord.VcpusMax);
        preservedRecord.VcpusAtStartup.ShouldBe(originalRecord.VcpusAtStartup);
        (await RestoreHarness.MacsAsync(session, preservedRecord)).ShouldBe(originalMacs);
        (await RestoreHarness.DiskLayoutAsync(session, preservedRef)).ShouldBe([originalLayout[0]]);
        (await RestoreHarness.DiskHashesAsync(session, preservedRef)).ShouldBe([originalXvda]);
    }

    [Fact]
    public async Task VdiExport_PreserveForce_ReplacesTheHaltedOriginal_OnANewDisk_NotTheOriginalOne()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var original = await NauBackupHarness.VmAsync(session, "DEV-test");
        var originalRecord = await session.Vm.GetRecordAsync(original, CancellationToken.None);
        var originalVdi = (await NauBackupHarness.DisksAsync(session, original))[0];
        var originalVdiUuid = await session.Vdi.GetUuidAsync(originalVdi, CancellationToken.None);
        var backedUp = (await RestoreHarness.DiskHashesAsync(session, original))[0];
        var originalMacs = await RestoreHarness.MacsAsync(session, originalRecord);
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test", "vdi_export_format=vhd");

        // The original changes after the backup: the restored VM must get the backup's bytes, not the original disk.
        var pool = sim.Simulator.Pool;
        pool.Disks.Write(pool.DiskOf(originalVdi.OpaqueRef)!, 0, Enumerable.Repeat((byte)0xEE, 8192).ToArray());
        if (originalRecord.PowerState != VmPowerState.Halted)
        {
            await session.Vm.HardShutdownAsync(original, CancellationToken.None);
        }

        var replaced = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true, Force = true });

        replaced.VmUuid.ShouldBe(originalRecord.Uuid);
        replaced.Notes.ShouldContain(n => n.Contains(originalVdiUuid, StringComparison.Ordinal), "the replaced original's disks are kept and listed");
        var restored = new XenRef<VmRecord>(replaced.VmRef!);
        (await session.Vm.GetAllRecordsAsync(CancellationToken.None)).Values.Count(r => r.Uuid == originalRecord.Uuid).ShouldBe(1);
        replaced.Disks.Single().VdiUuid.ShouldNotBe(originalVdiUuid, "the VDI map points xvda at the new VDI");
        (await RestoreHarness.DiskHashesAsync(session, restored)).ShouldBe([backedUp]);
        (await RestoreHarness.MacsAsync(session, await session.Vm.GetRecordAsync(restored, CancellationToken.None))).ShouldBe(originalMacs);
        (await session.Vdi.GetUuidAsync(originalVdi, CancellationToken.None)).ShouldBe(originalVdiUuid, "the original disk is still there");
    }

    [Fact]
    public async Task VdiExport_Preserve_WithAMissingNetworkForced_KeepsTheUuid_AndLeavesThatVifOut()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var original = await NauBackupHarness.VmAsync(session, "PROD-db");
        var originalRecord = await session.Vm.GetRecordAsync(original, CancellationToken.None);
        var originalMacs = await RestoreHarness.MacsAsync(session, originalRecord);
        var lost = await session.Vif.GetRecordAsync(originalRecord.Vifs[0], CancellationToken.None);
        var folder = await _h.BackUpAsync(sim, "PROD-db", "vdi-export=PROD-db", "vdi_export_format=raw");
        if (originalRecord.PowerState != VmPowerState.Halted)
        {
            await session.Vm.HardShutdownAsync(original, CancellationToken.None);
        }

        await session.Vm.DestroyAsync(original, CancellationToken.None);
        await session.Network.SetNameLabelAsync(lost.Network, "renamed after the backup", CancellationToken.None);

        await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true }));
        var restored = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true, Force = true });

        restored.VmUuid.ShouldBe(originalRecord.Uuid);
        restored.Notes.ShouldContain(n => n.StartsWith($"VIF {lost.Device} was not created", StringComparison.Ordinal));
        var record = await session.Vm.GetRecordAsync(new XenRef<VmRecord>(restored.VmRef!), CancellationToken.None);
        (await RestoreHarness.MacsAsync(session, record)).ShouldBe(originalMacs.Where(m => m != lost.Mac));
    }

    [Fact]
    public async Task DiskOnly_CreatesOnlyVdis_WithTheBackedUpContent()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var original = await NauBackupHarness.VmAsync(session, "PROD-db");
        var hashes = await RestoreHarness.DiskHashesAsync(session, original);
        var xva = await _h.BackUpAsync(sim, "PROD-db", "vm-export=PROD-db");
        var raw = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test");
        var devHash = (await RestoreHarness.DiskHashesAsync(session, await NauBackupHarness.VmAsync(session, "DEV-test")))[0];
        var vms = RestoreHarness.Counts(sim).Vms;

        var fromXva = await RestoreHarness.RestoreAsync(session, xva, new RestoreOptions { DiskOnly = true });
        var fromRaw = await RestoreHarness.RestoreAsync(session, raw, new RestoreOptions { DiskOnly = true });

        RestoreHarness.Counts(sim).Vms.ShouldBe(vms);
        fromXva.VmUuid.ShouldBeNull();
        fromXva.Disks.Count.ShouldBe(2);
        for (var i = 0; i < 2; i++)
        {
            var vdi = await session.Vdi.GetByUuidAsync(fromXva.Disks[i].VdiUuid, CancellationToken.None);
            (await session.Vdi.GetRecordAsync(vdi, CancellationToken.None)).Vbds.ShouldBeEmpty();
            (await NauBackupHarness.RawSha256Async(session, vdi)).ShouldBe(hashes[i]);
        }

        var rawVdi = await session.Vdi.GetByUuidAsync(fromRaw.Disks.ShouldHaveSingleItem().VdiUuid, CancellationToken.None);
        (await NauBackupHarness.RawSha256Async(session, rawVdi)).ShouldBe(devHash);
    }

    [Fact]
    public async Task LegacyXva_WithChecksumFiles_Restores()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var hashes = await RestoreHarness.DiskHashesAsync(session, await NauBackupHarness.VmAsync(session, "DEV-test"));
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var xva = Path.Combine(folder, "DEV-test.xva");
        await RestoreHarness.RewriteWithLegacyChecksumsAsync(xva);

        var result = await RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = "legacy" });

        (await RestoreHarness.DiskHashesAsync(session, new XenRef<VmRecord>(result.VmRef!))).ShouldBe(hashes);
    }
}
