using System.CommandLine;
using VmBackup.Cli.Commands;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup restore</c> end to end: options, environment, password handling, output, exit codes.</summary>
public sealed class RestoreCommandTests : IDisposable
{
    private readonly RestoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Restore_VmName_RestoresTheNewestBackup_AndPrintsWhatItCreated()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var newest = await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test");

        var (exit, output, error) = await RunAsync(sim, Env(sim), "restore", "DEV-test", "--sr", "Local storage", "--name", "DEV-test-restored");

        exit.ShouldBe(0, error);
        output.ShouldContain("restoring " + newest);
        output.ShouldContain("PUT /import_raw_vdi format=raw");
        output.ShouldMatch(@"restored VM 'DEV-test-restored' uuid [0-9a-f-]{36}: 1 disk\(s\), 1 VIF\(s\)");
        output.ShouldMatch(@"uploaded 64\.0 MiB in [0-9.]+ s \([0-9.]+ MB/s\)");
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        (await session.Vm.GetByNameLabelAsync("DEV-test-restored", CancellationToken.None)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Restore_At_ChoosesTheBackupOfThatTime_AndRefusesBeforeTheFirst()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var first = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        await _h.BackUpAsync(sim, "DEV-test", "vdi-export=DEV-test");
        var firstTime = Path.GetFileName(first)["backup-".Length..].Replace("-(", " ", StringComparison.Ordinal).TrimEnd(')');

        var (exit, output, error) = await RunAsync(sim, Env(sim), "restore", "DEV-test", "--at", firstTime, "--name", "old");
        var (early, _, earlyError) = await RunAsync(sim, Env(sim), "restore", "DEV-test", "--at", "2001-01-01", "--name", "older");

        exit.ShouldBe(0, error);
        output.ShouldContain("restoring " + first);
        output.ShouldContain("PUT /import restore=false");
        early.ShouldBe(2);
        earlyError.ShouldContain("no successful backup at or before 2001-01-01 23:59:59");
    }

    [Fact]
    public async Task Restore_PasswordFile_IsDecoded_AndAMissingPasswordIsAUsageError()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var passwordFile = Path.Combine(_h.Backup.Root, "pw");
        NauPasswordFile.Write(passwordFile, sim.Credentials.Password);
        var env = Env(sim);
        env.Remove("VMBACKUP_PASSWORD");

        var (withFile, _, fileError) = await RunAsync(sim, env, "restore", folder, "--password-file", passwordFile, "--name", "from-file");
        var (without, _, missing) = await RunAsync(sim, env, "restore", folder, "--name", "no-password");

        withFile.ShouldBe(0, fileError);
        without.ShouldBe(1);
        missing.ShouldContain("no password: pass --password-file FILE or set VMBACKUP_PASSWORD");
    }

    [Fact]
    public async Task Restore_SameName_IsRefusedUnlessForced_AndIsoSrIsRefused()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var folder = await _h.BackUpAsync(sim, "DEV-test", "vm-export=DEV-test");
        var before = RestoreHarness.Counts(sim);

        var (clash, _, clashError) = await RunAsync(sim, Env(sim), "restore", folder);
        var (iso, _, isoError) = await RunAsync(sim, Env(sim), "restore", folder, "--name", "x", "--sr", "ISO library");
        RestoreHarness.Counts(sim).ShouldBe(before);
        var (forced, forcedOut, forcedError) = await RunAsync(sim, Env(sim), "restore", folder, "--force");

        clash.ShouldBe(2);
        clashError.ShouldContain("a VM named 'DEV-test' already exists on the pool");
        iso.ShouldBe(2);
        isoError.ShouldContain("is an ISO library");
        forced.ShouldBe(0, forcedError);
        forcedOut.ShouldContain("note: two VMs are now named 'DEV-test' (--force)");
    }

    internal static Dictionary<string, string> Env(SimulatorFixture sim) => new(StringComparer.Ordinal)
    {
        ["VMBACKUP_SERVER"] = sim.HttpUri.ToString(),
        ["VMBACKUP_USER"] = sim.Credentials.User,
        ["VMBACKUP_PASSWORD"] = sim.Credentials.Password,
    };

    private Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, Dictionary<string, string> env, params string[] args) =>
        RunCommandAsync(_h.Backup.BackupDir, env, args);

    internal static async Task<(int Exit, string Output, string Error)> RunCommandAsync(string backupDir, Dictionary<string, string> env, string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        env["VMBACKUP_BACKUP_DIR"] = backupDir;
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : null;
        var root = new RootCommand
        {
            RestoreCommand.Create(output, error, Lookup, TimeProvider.System),
            HealthcheckCommand.Create(output, error, Lookup, TimeProvider.System),
        };
        var exit = await root.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
