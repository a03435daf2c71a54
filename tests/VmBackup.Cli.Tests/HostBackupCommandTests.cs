using System.CommandLine;
using System.IO.Compression;
using VmBackup.Cli.Commands;
using VmBackup.Formats.Tar;
using VmBackup.TestKit;
using XapiSim.DataPlane;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup host-backup</c> and <c>host-restore</c> against the simulator.</summary>
public sealed class HostBackupCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-hostbackup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task HostBackup_WritesAPrivateGzipTarWithTheInventory_AndPrintsTheAdvice()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var file = Path.Combine(_dir, "xs2.tgz");

        var (exit, output, error) = await RunAsync(sim, "host-backup", "--host", "xs2", file);

        exit.ShouldBe(0, error);
        PoolDbCommandTests.ModeOf(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await EntriesAsync(file)).ShouldContain("etc/xensource-inventory");
        output.ShouldContain("GET /host_backup host='xs2'");
        output.ShouldContain("not the storage repositories");
        output.ShouldContain("vmbackup pool-db backup");
        File.Exists(file + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task HostRestore_RoundTrip_NeedsYes_ThenUploads()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var file = Path.Combine(_dir, "master.tgz");
        (await RunAsync(sim, "host-backup", file)).Exit.ShouldBe(0);
        var state = DataPlaneState.For(sim.Simulator.Pool);

        var (refused, _, refusedError) = await RunAsync(sim, "host-restore", file);
        state.HostRestores.ShouldBe(0);
        var (exit, output, error) = await RunAsync(sim, "host-restore", file, "--yes");

        refused.ShouldBe(1);
        refusedError.ShouldContain("pass --yes");
        exit.ShouldBe(0, error);
        state.HostRestores.ShouldBe(1);
        output.ShouldContain("PUT /host_restore host='xs1'");
        output.ShouldContain("installation media");
        output.ShouldNotContain("warning:");
    }

    [Fact]
    public async Task HostRestore_OfAnotherHostsBackup_Warns_AndAnArchiveWithoutInventoryIsRefused()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var file = Path.Combine(_dir, "xs2.tgz");
        (await RunAsync(sim, "host-backup", "--host", "xs2", file)).Exit.ShouldBe(0);
        var bogus = Path.Combine(_dir, "bogus.tgz");
        await File.WriteAllBytesAsync(bogus, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);

        var (exit, output, error) = await RunAsync(sim, "host-restore", file, "--yes");
        var (bad, _, badError) = await RunAsync(sim, "host-restore", bogus, "--yes");

        exit.ShouldBe(0, error);
        output.ShouldContain("warning: the backup is of host uuid");
        bad.ShouldBe(1);
        badError.ShouldContain("bogus.tgz: not a complete host backup");
        DataPlaneState.For(sim.Simulator.Pool).HostRestores.ShouldBe(1);
    }

    [Fact]
    public async Task HostBackup_CutTransfer_FailsAndLeavesNoFile()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        TransferFaults.For(sim.Simulator.Pool).CutExportAfterBytes = 100;
        var file = Path.Combine(_dir, "cut.tgz");

        var (exit, _, error) = await RunAsync(sim, "host-backup", file);

        exit.ShouldBe(2);
        error.ShouldStartWith("vmbackup host-backup: failed: ");
        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task HostBackup_UnknownHost_IsAClearError()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var file = Path.Combine(_dir, "none.tgz");

        var (exit, _, error) = await RunAsync(sim, "host-backup", "--host", "xs9", file);

        exit.ShouldBe(1);
        error.ShouldContain("no host 'xs9' in the pool (known: ");
        File.Exists(file).ShouldBeFalse();
    }

    private static async Task<List<string>> EntriesAsync(string file)
    {
        await using var input = File.OpenRead(file);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        var tar = new TarReader(gzip);
        var names = new List<string>();
        var buffer = new byte[65536];
        while (await tar.ReadNextEntryAsync(CancellationToken.None) is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
            while (await tar.ReadDataAsync(buffer, CancellationToken.None) > 0)
            {
            }
        }

        return names;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = RestoreCommandTests.Env(sim);
        env["VMBACKUP_BACKUP_DIR"] = _dir;
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : null;
        var root = new RootCommand
        {
            HostBackupCommand.CreateBackup(output, error, Lookup),
            HostBackupCommand.CreateRestore(output, error, Lookup),
        };
        var exit = await root.Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
