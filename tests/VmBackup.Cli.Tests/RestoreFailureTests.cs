using VmBackup.Core.Restore;
using VmBackup.Formats.Tar;
using VmBackup.TestKit;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;
using XapiSim.Faults;

namespace VmBackup.Cli.Tests;

/// <summary>Damaged backups are refused, failed and cancelled restores leave nothing on the pool.</summary>
public sealed class RestoreFailureTests : IDisposable
{
    private readonly RestoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Xva_WithOneFlippedByteInAChunk_FailsInXapi_AndLeavesNothing()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var xva = Path.Combine(folder, "DEV-test.xva");
        long offset;
        await using (var input = File.OpenRead(xva))
        {
            var tar = new TarReader(input);
            TarEntryHeader? chunk;
            do
            {
                chunk = await tar.ReadNextEntryAsync(CancellationToken.None);
            }
            while (chunk is not null && !chunk.Name.EndsWith("/00000000", StringComparison.Ordinal));
            offset = chunk.ShouldNotBeNull().DataOffset + 4096;
        }

        await using (var file = new FileStream(xva, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = offset;
            var b = file.ReadByte();
            file.Position = offset;
            file.WriteByte((byte)(b ^ 0x40));
        }

        var before = RestoreHarness.Counts(sim);
        var e = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = "flipped" }));

        e.Message.ShouldContain("IMPORT_ERROR");
        e.Message.ShouldContain("everything it created was removed");
        await RestoreHarness.ShouldReturnToAsync(sim, before);
    }

    [Theory]
    [InlineData("truncated-vhd", "is damaged")]
    [InlineData("truncated-raw", "truncated or wrong file")]
    [InlineData("no-success", "missing success marker")]
    [InlineData("no-vdi-cfg", "DISK-xvda/vdi.cfg is missing")]
    [InlineData("bad-vm-metadata", "vm-metadata.xml is not a VM's ova.xml")]
    public async Task DamagedBackup_IsRefusedBeforeAnythingIsCreated(string damage, string message)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var format = damage == "truncated-vhd" ? "vhd" : "raw";
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test", "vdi_export_format=" + format);
        switch (damage)
        {
            case "truncated-vhd" or "truncated-raw":
                var data = Path.Combine(folder, "DEV-test." + format);
                await using (var file = new FileStream(data, FileMode.Open, FileAccess.ReadWrite))
                {
                    file.SetLength(file.Length - 4096);
                }

                break;
            case "no-success":
                File.Delete(Path.Combine(folder, "success"));
                break;
            case "no-vdi-cfg":
                File.Delete(Path.Combine(folder, "DISK-xvda", "vdi.cfg"));
                break;
            default:
                await File.WriteAllTextAsync(Path.Combine(folder, "vm-metadata.xml"), "<value><struct>");
                break;
        }

        var before = RestoreHarness.Counts(sim);
        var e = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = "damaged" }));

        e.Message.ShouldContain(message);
        e.Message.ShouldContain("Nothing was created on the pool");
        RestoreHarness.Counts(sim).ShouldBe(before);
    }

    [Theory]
    [InlineData("vm-export=DEV-test")]
    [InlineData("vdi-export=DEV-test")]
    public async Task Cancelled_HalfWay_LeavesNoVmVdiOrTask(string config)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var folder = await _h.BackUpAsync(sim, "DEV-test", config);
        var source = await RestoreSourceReader.LoadAsync(folder, CancellationToken.None);
        var before = RestoreHarness.Counts(sim);
        using var cancel = new CancellationTokenSource();
        long seen = 0;
        var progress = new SyncProgress(bytes =>
        {
            seen = bytes;
            if (bytes >= source.DataFileLength / 2)
            {
                cancel.Cancel();
            }
        });
        var options = new RestoreOptions { NewName = "cancelled", Transfers = new XenApiTransferOptions { UploadBufferSize = 64 << 10, ProgressInterval = 64 << 10 } };

        await Should.ThrowAsync<OperationCanceledException>(() => new RestoreService(session).RestoreAsync(source, options, progress, cancel.Token));

        seen.ShouldBeGreaterThanOrEqualTo(source.DataFileLength / 2);
        seen.ShouldBeLessThan(source.DataFileLength);
        await RestoreHarness.ShouldReturnToAsync(sim, before);
    }

    [Fact]
    public async Task StepFailingAfterTheUpload_RollsBackTheVmAndTheVdi()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test");
        var before = RestoreHarness.Counts(sim);
        using var fault = sim.Simulator.Faults.FailMethod(new MethodFault("VIF.create", "INTERNAL_ERROR", ["injected"]));

        var e = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { NewName = "rolled-back" }));

        e.Message.ShouldContain("INTERNAL_ERROR");
        RestoreHarness.Counts(sim).ShouldBe(before);
        (await session.Vm.GetByNameLabelAsync("rolled-back", CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("vhd")]
    public async Task PreservedVdiExport_FailingInImportMetadata_LeavesNoVmAndNoVdi(string format)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test", "vdi_export_format=" + format);
        var original = await NauBackupHarness.VmAsync(session, "DEV-test");
        var uuid = await session.Vm.GetUuidAsync(original, CancellationToken.None);
        if (await session.Vm.GetPowerStateAsync(original, CancellationToken.None) != VmPowerState.Halted)
        {
            await session.Vm.HardShutdownAsync(original, CancellationToken.None);
        }

        await session.Vm.DestroyAsync(original, CancellationToken.None);
        var before = RestoreHarness.Counts(sim);
        using var fault = sim.Simulator.Faults.FailMethod(new MethodFault("VM.metadata_import", "INTERNAL_ERROR", ["injected"]));

        var e = await Should.ThrowAsync<RestoreRefusedException>(() => RestoreHarness.RestoreAsync(session, folder, new RestoreOptions { Preserve = true }));

        e.Message.ShouldContain("INTERNAL_ERROR");
        e.Message.ShouldContain("everything it created was removed");
        await RestoreHarness.ShouldReturnToAsync(sim, before);
        (await session.Vm.GetAllRecordsAsync(CancellationToken.None)).Values.ShouldNotContain(r => r.Uuid == uuid);
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
