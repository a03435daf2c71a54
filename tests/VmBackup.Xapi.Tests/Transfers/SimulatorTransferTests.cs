using System.Security.Cryptography;
using VmBackup.TestKit;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Simulator;
using VmBackup.Xapi.Transfers;
using XapiSim.DataPlane;

namespace VmBackup.Xapi.Tests.Transfers;

/// <summary>The transfer client against XapiSim's data plane (sample pool).</summary>
public sealed class SimulatorTransferTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ExportHaltedVm_ReimportIt_DisksAreIdentical()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.JsonRpc);
        var transfers = new XenApiTransfers(session);
        var vm = await SimulatorSession.VmAsync(session, "DEV-test");

        byte[] xva;
        await using (var export = await transfers.ExportVmAsync(vm, XvaCompression.Zstd, None))
        {
            xva = await TransferTestData.ReadAllAsync(export);
            export.IsCompleted.ShouldBeTrue();
            export.BytesTransferred.ShouldBe(xva.Length);
        }

        var progress = new RecordingProgress();
        var imported = await transfers.ImportVmAsync(new ForwardOnlyStream(xva), xva.Length, null, restore: false, force: false, progress, None);

        var copy = imported.ShouldHaveSingleItem();
        copy.ShouldNotBe(vm);
        progress.Values[^1].ShouldBe(xva.Length);
        var originalDisks = await DisksAsync(session, vm);
        var copiedDisks = await DisksAsync(session, copy);
        copiedDisks.Count.ShouldBe(originalDisks.Count);
        originalDisks.Count.ShouldBeGreaterThan(0);
        for (var i = 0; i < originalDisks.Count; i++)
        {
            copiedDisks[i].ShouldNotBe(originalDisks[i]);
            var original = await RawSha256Async(transfers, originalDisks[i]);
            var copied = await RawSha256Async(transfers, copiedDisks[i]);
            copied.Length.ShouldBe(original.Length);
            copied.Hash.ShouldBe(original.Hash);
        }

        (await session.Tasks.GetAllAsync(None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task VhdExport_DeltaAgainstABase_AppliedToACloneOfTheBase_GivesTheSameDisk()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.XmlRpc);
        var transfers = new XenApiTransfers(session);
        var vdi = (await DisksAsync(session, await SimulatorSession.VmAsync(session, "DEV-build")))[0];
        var size = (await session.Vdi.GetRecordAsync(vdi, None)).VirtualSize;

        // A full VHD export is a VHD: footer cookie at both ends.
        byte[] full;
        await using (var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Vhd, null, None))
        {
            full = await TransferTestData.ReadAllAsync(export);
        }

        "conectix"u8.ToArray().ShouldBe(full[..8]);
        "conectix"u8.ToArray().ShouldBe(full[^512..^504]);

        // Base snapshot, then change one region of the disk through a raw import of the first 4 MiB only.
        var baseVdi = await session.Vdi.SnapshotAsync(vdi, None);
        byte[] image;
        await using (var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Raw, null, None))
        {
            image = await TransferTestData.ReadAllAsync(export);
        }

        image.LongLength.ShouldBe(size);
        RandomNumberGenerator.Fill(image.AsSpan(3 << 20, 100_000));
        var written = await transfers.ImportVdiAsync(vdi, new MemoryStream(image), 4 << 20, VdiImportFormat.Raw, null, None);
        written.ShouldBe(vdi);
        (await RawSha256Async(transfers, vdi)).Hash.ShouldBe(Convert.ToHexString(SHA256.HashData(image)));

        byte[] delta;
        await using (var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Vhd, baseVdi, None))
        {
            delta = await TransferTestData.ReadAllAsync(export);
        }

        delta.Length.ShouldBeLessThan(8 << 20); // only the rewritten blocks, not the whole disk
        var restored = await session.CallAsync<XenRef<VdiRecord>>("VDI.clone", [baseVdi, new Dictionary<string, string>()], None);
        (await RawSha256Async(transfers, restored)).Hash.ShouldNotBe(Convert.ToHexString(SHA256.HashData(image)));
        await transfers.ImportVdiAsync(restored, new ForwardOnlyStream(delta), delta.Length, VdiImportFormat.Vhd, null, None);

        (await RawSha256Async(transfers, restored)).Hash.ShouldBe(Convert.ToHexString(SHA256.HashData(image)));
    }

    [Fact]
    public async Task ExportOfARunningVm_IsVmBadPowerState()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.JsonRpc);
        var vm = await SimulatorSession.VmAsync(session, "PROD-web");

        var e = await Should.ThrowAsync<XenApiException>(() => new XenApiTransfers(session).ExportVmAsync(vm, XvaCompression.None, None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.VmBadPowerState);
        e.Message.ShouldNotContain(session.SessionId);
        (await session.Tasks.GetAllAsync(None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportCancelledMidway_LeavesNoTask()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.JsonRpc);
        var vdi = (await DisksAsync(session, await SimulatorSession.VmAsync(session, "DEV-build")))[0];
        var transfers = new XenApiTransfers(session);

        await using var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Raw, null, None);
        (await session.Tasks.GetAllAsync(None)).ShouldContain(export.Task);
        var buffer = new byte[1 << 20];
        (await export.ReadAsync(buffer)).ShouldBeGreaterThan(0);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => export.ReadAsync(buffer, cts.Token).AsTask());

        (await session.Tasks.GetAllAsync(None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportCutByTheServer_IsNotMistakenForAComplete_One()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.JsonRpc);
        var vm = await SimulatorSession.VmAsync(session, "DEV-test");
        TransferFaults.For(sim.Simulator.Pool).CutExportAfterBytes = 1 << 20;

        await using var export = await new XenApiTransfers(session).ExportVmAsync(vm, XvaCompression.None, None);
        var e = await Should.ThrowAsync<Exception>(() => TransferTestData.ReadAllAsync(export));

        e.ShouldBeAssignableTo<XenApiException>()!.ErrorCode.ShouldNotBeNullOrEmpty();
        export.IsCompleted.ShouldBeFalse();
        export.BytesTransferred.ShouldBeLessThanOrEqualTo(1 << 20);
        (await session.Tasks.GetAllAsync(None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task MetadataAndPoolDatabaseExports_AreComplete()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.JsonRpc);
        var transfers = new XenApiTransfers(session);
        var vm = await SimulatorSession.VmAsync(session, "DEV-test");

        await using var metadata = await transfers.ExportVmMetadataAsync(vm, exportSnapshots: true, None);
        var tar = await TransferTestData.ReadAllAsync(metadata);
        await using var database = await transfers.ExportPoolDatabaseAsync(None);
        var xml = System.Text.Encoding.UTF8.GetString(await TransferTestData.ReadAllAsync(database));

        System.Text.Encoding.ASCII.GetString(tar, 0, 7).ShouldBe("ova.xml");
        xml.ShouldContain("<database");
        xml.ShouldContain("DEV-test");
        var dryRun = System.Text.Encoding.UTF8.GetBytes(xml);
        await transfers.RestorePoolDatabaseAsync(new MemoryStream(dryRun), dryRun.Length, dryRun: true, null, None);
        (await session.Tasks.GetAllAsync(None)).ShouldBeEmpty();
    }

    private static async Task<IReadOnlyList<XenRef<VdiRecord>>> DisksAsync(XenApiSession session, XenRef<VmRecord> vm)
    {
        var disks = new List<(string Device, XenRef<VdiRecord> Vdi)>();
        foreach (var vbd in (await session.Vm.GetRecordAsync(vm, None)).Vbds)
        {
            var record = await session.Vbd.GetRecordAsync(vbd, None);
            if (record.Type == VbdType.Disk && !record.Vdi.IsNull)
            {
                disks.Add((record.Userdevice, record.Vdi));
            }
        }

        return [.. disks.OrderBy(d => d.Device, StringComparer.Ordinal).Select(d => d.Vdi)];
    }

    private static async Task<(long Length, string Hash)> RawSha256Async(XenApiTransfers transfers, XenRef<VdiRecord> vdi)
    {
        await using var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Raw, null, None);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await export.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        export.IsCompleted.ShouldBeTrue();
        return (export.BytesTransferred, Convert.ToHexString(sha.GetHashAndReset()));
    }
}
