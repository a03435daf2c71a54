using VmBackup.Cli.Commands;
using VmBackup.Formats.Tar;
using VmBackup.TestKit;
using XapiSim.DataPlane;

namespace VmBackup.Cli.Tests;

/// <summary>A vm-export whose XVA carries xapi's 0-byte keep-alive entries (a long stall mid-disk) backs up and verifies.</summary>
public sealed class KeepAliveBackupTests : IDisposable
{
    private readonly NauBackupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task VmExport_WithAKeepAliveEntry_IsSuccessful_AndVerifies()
    {
        await using var sim = await SimulatorFixture.StartAsync(timeProvider: new SleeplessTimeProvider());
        var faults = TransferFaults.For(sim.Simulator.Pool);
        faults.StallAfterBytes = (2 << 20) + 4096;
        faults.StallWithinBody = TimeSpan.FromSeconds(10);

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=DEV-test");

        exit.ShouldBe(0, string.Join('\n', lines));
        var folder = Path.Combine(_h.VmDir("DEV-test"), _h.BackupFolders("DEV-test").ShouldHaveSingleItem());
        NauBackupHarness.IsSuccessful(folder).ShouldBeTrue();
        var entries = await EntriesAsync(Path.Combine(folder, "DEV-test.xva"));
        var keepAlive = entries.Where(e => e.Size == 0).ShouldHaveSingleItem();
        var at = entries.IndexOf(keepAlive);
        entries[at + 1].Name.ShouldBe(keepAlive.Name + ".xxhash");
        entries[at - 2].Size.ShouldBe(1L << 20);

        var output = new StringWriter();
        var error = new StringWriter();
        var verified = await VerifyCommand.RunAsync(new VerifyCommand.VerifyRequest("DEV-test", false, _h.BackupDir, false), output, error, null, CancellationToken.None);

        verified.ShouldBe(0, output.ToString() + error);
        output.ToString().ShouldStartWith("OK   DEV-test backup-2024-03-09-(01:02:03) xva ");
    }

    private static async Task<List<TarEntryHeader>> EntriesAsync(string xva)
    {
        await using var input = File.OpenRead(xva);
        var reader = new TarReader(input);
        var entries = new List<TarEntryHeader>();
        while (await reader.ReadNextEntryAsync(CancellationToken.None) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }
}
