using System.Collections.Concurrent;
using System.CommandLine;
using System.Text;
using System.Xml.Linq;
using VmBackup.Cli.Commands;
using VmBackup.Core.PoolDb;
using VmBackup.TestKit;
using XapiSim.DataPlane;
using XapiSim.Http;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup pool-db backup|restore|keygen</c> against the simulator.</summary>
public sealed class PoolDbCommandTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-pooldb-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 3, 9, 1, 2, 3, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Backup_WritesAPrivateXmlDumpOfThePool()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, output, error) = await RunAsync(sim, "pool-db", "backup");

        exit.ShouldBe(0, error);
        var dump = Path.Combine(_dir, "POOL_DB", "pool_db_20240309-010203.dump");
        output.ShouldContain("wrote " + dump);
        ModeOf(dump).ShouldBe(Private);
        var xml = XDocument.Load(dump);
        xml.Root!.Name.LocalName.ShouldBe("database");
        File.ReadAllText(dump).ShouldContain(await PoolUuidAsync(sim));
        Directory.GetFiles(Path.Combine(_dir, "POOL_DB")).ShouldBe([dump]);
    }

    [Fact]
    public async Task Backup_Encrypted_WithKeyFileAndPassphrase_DecryptsToTheSameDump()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var keyFile = Path.Combine(_dir, "pool.key");
        (await RunAsync(sim, "pool-db", "keygen", keyFile)).Exit.ShouldBe(0);
        ModeOf(keyFile).ShouldBe(Private);

        var (plainExit, _, _) = await RunAsync(sim, "pool-db", "backup");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (keyExit, _, keyError) = await RunAsync(sim, "pool-db", "backup", "--key-file", keyFile);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (passExit, passOut, passError) = await RunAsync(sim, Env(sim, ("VMBACKUP_POOLDB_PASSPHRASE", "correct horse")), "pool-db", "backup", "--encrypt");

        plainExit.ShouldBe(0);
        keyExit.ShouldBe(0, keyError);
        passExit.ShouldBe(0, passError);
        passOut.ShouldNotContain("correct horse");
        var folder = Path.Combine(_dir, "POOL_DB");
        var plain = await File.ReadAllBytesAsync(Path.Combine(folder, "pool_db_20240309-010203.dump"));
        var withKey = Path.Combine(folder, "pool_db_20240309-010303.dump.enc");
        var withPassphrase = Path.Combine(folder, "pool_db_20240309-010403.dump.enc");
        ModeOf(withKey).ShouldBe(Private);
        ModeOf(withPassphrase).ShouldBe(Private);
        Encoding.UTF8.GetString(await File.ReadAllBytesAsync(withKey)).ShouldNotContain("<database");
        // Each dump has its own generation count, so compare what does not change: the tables and the pool row.
        using (var key = PoolDbKey.FromKeyFile(keyFile))
        {
            Shape(await DecryptAsync(withKey, key)).ShouldBe(Shape(plain));
        }

        using (var passphrase = PoolDbKey.FromPassphrase("correct horse"))
        {
            Shape(await DecryptAsync(withPassphrase, passphrase)).ShouldBe(Shape(plain));
        }

        var (dry, dryOut, dryError) = await RunAsync(sim, "pool-db", "restore", withKey, "--key-file", keyFile, "--dry-run");
        dry.ShouldBe(0, dryError);
        dryOut.ShouldContain("(encrypted, decrypted and authenticated)");
    }

    [Fact]
    public async Task Backup_Keep2_OverThreeDumps_KeepsTheNewestTwo_AndOnlyTouchesDumps()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "POOL_DB")).FullName;
        var unrelated = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(unrelated, "keep me");

        string last = string.Empty;
        for (var run = 0; run < 3; run++)
        {
            var (exit, output, error) = await RunAsync(sim, "pool-db", "backup", "--keep", "2");
            exit.ShouldBe(0, error);
            last = output;
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["notes.txt", "pool_db_20240309-010303.dump", "pool_db_20240309-010403.dump"]);
        last.ShouldContain("deleted old dump " + Path.Combine(folder, "pool_db_20240309-010203.dump"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Backup_CutExport_FailsAndLeavesNoFile(bool encrypted)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var keyFile = Path.Combine(_dir, "pool.key");
        PoolDbKey.Generate(keyFile);
        TransferFaults.For(sim.Simulator.Pool).CutExportAfterBytes = 1000;

        var (exit, output, error) = encrypted
            ? await RunAsync(sim, "pool-db", "backup", "--key-file", keyFile)
            : await RunAsync(sim, "pool-db", "backup");

        exit.ShouldBe(2, output);
        error.ShouldStartWith("vmbackup pool-db backup: failed: ");
        Directory.GetFiles(Path.Combine(_dir, "POOL_DB")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Restore_DryRun_PrintsTheChecks_AndStagesNothing()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var puts = CountPuts(sim);
        var dump = await BackupAsync(sim);

        var (exit, output, error) = await RunAsync(sim, "pool-db", "restore", dump, "--dry-run");

        exit.ShouldBe(0, error);
        output.ShouldContain($"pool 'pool-demo' uuid {await PoolUuidAsync(sim)}, schema 5.");
        output.ShouldContain("PUT /pool/xmldbdump dry_run=true");
        output.ShouldContain("dry run: the pool accepts the dump");
        output.ShouldContain("--dry-run: nothing restored");
        output.ShouldNotContain("dry_run=false");
        output.ShouldContain("xe host-forget");
        puts.ShouldBe(["dry_run=true"]);
        DataPlaneState.For(sim.Simulator.Pool).StagedRestoreBytes.ShouldBe(0);
    }

    [Fact]
    public async Task Restore_Real_NeedsYes_ThenStagesTheDump()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var dump = await BackupAsync(sim);
        var state = DataPlaneState.For(sim.Simulator.Pool);

        var (refused, _, refusedError) = await RunAsync(sim, "pool-db", "restore", dump);
        state.StagedRestoreBytes.ShouldBe(0);
        var (exit, output, error) = await RunAsync(sim, "pool-db", "restore", dump, "--yes");

        refused.ShouldBe(2);
        refusedError.ShouldContain("pass --yes to restore");
        exit.ShouldBe(0, error);
        output.ShouldContain("PUT /pool/xmldbdump dry_run=false");
        state.StagedRestoreBytes.ShouldBe(new FileInfo(dump).Length);
        state.StagedRestoreTables.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task Restore_ForeignDump_IsRefusedUnlessForced_WithTheSeedWarnings()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var dump = await BackupAsync(sim);
        var poolUuid = await PoolUuidAsync(sim);
        var xml = XDocument.Load(dump);
        var pool = xml.Root!.Elements("table").Single(t => (string?)t.Attribute("name") == "pool").Element("row")!;
        pool.SetAttributeValue("uuid", "0badc0de-0000-4000-8000-000000000001");
        var host = xml.Root.Elements("table").Single(t => (string?)t.Attribute("name") == "host").Element("row")!;
        host.SetAttributeValue("uuid", "0badc0de-0000-4000-8000-000000000002");
        var foreign = Path.Combine(_dir, "foreign.dump");
        xml.Save(foreign);
        var puts = CountPuts(sim);

        var (refused, _, refusedError) = await RunAsync(sim, "pool-db", "restore", foreign, "--dry-run");
        puts.ShouldBeEmpty();
        var (forced, forcedOut, forcedError) = await RunAsync(sim, "pool-db", "restore", foreign, "--dry-run", "--force");

        refused.ShouldBe(2);
        refusedError.ShouldContain($"foreign dump: it is of pool 'pool-demo' uuid 0badc0de-0000-4000-8000-000000000001, not of the target pool 'pool-demo' uuid {poolUuid}");
        forced.ShouldBe(0, forcedError);
        forcedOut.ShouldContain("warning: foreign dump");
        forcedOut.ShouldContain("uuid 0badc0de-0000-4000-8000-000000000002");
        forcedOut.ShouldContain("duplicate UUIDs");
        puts.ShouldBe(["dry_run=true"]);
    }

    [Fact]
    public async Task Restore_DumpThePoolRejectsInItsDryRun_IsRefused_AndNeverRestored()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var dump = await BackupAsync(sim);
        var xml = XDocument.Load(dump);
        xml.Root!.Add(new XElement("table", new XAttribute("name", "Bogus")));
        var edited = Path.Combine(_dir, "bogus-table.dump");
        xml.Save(edited);
        var puts = CountPuts(sim);

        var (exit, output, error) = await RunAsync(sim, "pool-db", "restore", edited, "--yes");

        exit.ShouldBe(2);
        error.ShouldContain("the pool rejected the dump in its dry run: INTERNAL_ERROR");
        output.ShouldNotContain("dry_run=false");
        puts.ShouldBe(["dry_run=true"]);
        DataPlaneState.For(sim.Simulator.Pool).StagedRestoreBytes.ShouldBe(0);
    }

    [Fact]
    public async Task Restore_SuspendedVmOnLocalStorage_IsListedWithTheResetCommand()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var dump = await BackupAsync(sim);
        var xml = XDocument.Load(dump);
        var tables = xml.Root!.Elements("table").ToDictionary(t => (string)t.Attribute("name")!);
        var localSr = tables["SR"].Elements("row").First(r => (string?)r.Attribute("shared") == "false");
        var vdi = tables["VDI"].Elements("row").First();
        vdi.SetAttributeValue("SR", (string)localSr.Attribute("ref")!);
        var vm = tables["VM"].Elements("row").First(r => (string?)r.Attribute("is_control_domain") == "false");
        vm.SetAttributeValue("power_state", "Suspended");
        vm.SetAttributeValue("suspend_VDI", (string)vdi.Attribute("ref")!);
        var edited = Path.Combine(_dir, "suspended.dump");
        xml.Save(edited);

        var (exit, output, error) = await RunAsync(sim, "pool-db", "restore", edited, "--dry-run");

        exit.ShouldBe(0, error);
        output.ShouldContain("1 VM(s) are Suspended");
        output.ShouldContain($"xe vm-reset-powerstate uuid={(string)vm.Attribute("uuid")!} --force");
    }

    [Theory]
    [InlineData("not xml at all", "bad XML")]
    [InlineData("<?xml version=\"1.0\"?><database><manifest><pair key=\"schema_major_vsn\" value=\"5\"/>", "bad XML")]
    [InlineData("<inventory/>", "the root element is <inventory>, not <database>")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"4\"/><pair key=\"schema_minor_vsn\" value=\"1\"/></manifest></database>", "schema version 4.1 is not supported")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"5\"/><pair key=\"schema_minor_vsn\" value=\"1\"/></manifest><table name=\"host\"/></database>", "0 pool rows")]
    public async Task Restore_CorruptDump_IsRefusedWithOneLine_AndNothingIsSent(string content, string reason)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var puts = CountPuts(sim);
        var corrupt = Path.Combine(_dir, "corrupt.dump");
        await File.WriteAllTextAsync(corrupt, content);

        var (exit, output, error) = await RunAsync(sim, "pool-db", "restore", corrupt, "--yes");

        exit.ShouldBe(1);
        error.ShouldContain(reason);
        error.TrimEnd().Split('\n').Length.ShouldBe(1);
        output.ShouldBeEmpty();
        puts.ShouldBeEmpty();
        DataPlaneState.For(sim.Simulator.Pool).StagedRestoreBytes.ShouldBe(0);
    }

    [Fact]
    public async Task Restore_TamperedTruncatedOrWrongKey_IsRefused_AndNothingIsSent()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var keyFile = Path.Combine(_dir, "pool.key");
        var otherKey = Path.Combine(_dir, "other.key");
        (await RunAsync(sim, "pool-db", "keygen", keyFile)).Exit.ShouldBe(0);
        (await RunAsync(sim, "pool-db", "keygen", otherKey)).Exit.ShouldBe(0);
        (await RunAsync(sim, "pool-db", "backup", "--key-file", keyFile)).Exit.ShouldBe(0);
        var encrypted = Path.Combine(_dir, "POOL_DB", "pool_db_20240309-010203.dump.enc");
        var bytes = await File.ReadAllBytesAsync(encrypted);
        var flipped = Path.Combine(_dir, "flipped.enc");
        var copy = bytes.ToArray();
        copy[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(flipped, copy);
        var truncated = Path.Combine(_dir, "truncated.enc");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length - 10)]);
        var puts = CountPuts(sim);

        var wrong = await RunAsync(sim, "pool-db", "restore", encrypted, "--key-file", otherKey, "--dry-run");
        var tampered = await RunAsync(sim, "pool-db", "restore", flipped, "--key-file", keyFile, "--dry-run");
        var cut = await RunAsync(sim, "pool-db", "restore", truncated, "--key-file", keyFile, "--dry-run");
        var noKey = await RunAsync(sim, "pool-db", "restore", encrypted, "--dry-run");

        wrong.Exit.ShouldBe(1);
        wrong.Error.ShouldContain("wrong key or passphrase, or the file was modified");
        tampered.Exit.ShouldBe(1);
        tampered.Error.ShouldContain("flipped.enc: ");
        tampered.Error.ShouldMatch("(wrong key|modified)");
        cut.Exit.ShouldBe(1);
        cut.Error.ShouldContain("truncated");
        noKey.Exit.ShouldBe(1);
        noKey.Error.ShouldContain("is encrypted: pass --key-file FILE or set VMBACKUP_POOLDB_PASSPHRASE");
        puts.ShouldBeEmpty();
    }

    [Fact]
    public async Task KeyFile_ReadableByOthers_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var sim = await SimulatorFixture.StartAsync();
        var keyFile = Path.Combine(_dir, "loose.key");
        (await RunAsync(sim, "pool-db", "keygen", keyFile)).Exit.ShouldBe(0);
        File.SetUnixFileMode(keyFile, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (exit, _, error) = await RunAsync(sim, "pool-db", "backup", "--key-file", keyFile);
        var (again, _, againError) = await RunAsync(sim, "pool-db", "keygen", keyFile);

        exit.ShouldBe(1);
        error.ShouldContain($"key file {keyFile} is accessible by group or others (mode 0644): refused; run chmod 600");
        Directory.Exists(Path.Combine(_dir, "POOL_DB")).ShouldBeFalse();
        again.ShouldBe(1);
        againError.ShouldContain("exists: not overwritten");
    }

    [Fact]
    public async Task Encrypt_WithoutPassphrase_IsAUsageError_AndAPassphraseIsNeverAnArgument()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, _, error) = await RunAsync(sim, "pool-db", "backup", "--encrypt");
        var (argument, _, _) = await RunAsync(sim, "pool-db", "backup", "--passphrase", "secret");

        exit.ShouldBe(1);
        error.ShouldContain("--encrypt needs a passphrase in env VMBACKUP_POOLDB_PASSPHRASE");
        argument.ShouldNotBe(0);
        Directory.Exists(Path.Combine(_dir, "POOL_DB")).ShouldBeFalse();
    }

    internal static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? Private : File.GetUnixFileMode(path);

    internal static Dictionary<string, string> Env(SimulatorFixture sim, params (string Key, string Value)[] extra)
    {
        var env = RestoreCommandTests.Env(sim);
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }

    private static string Shape(byte[] dump)
    {
        var root = XDocument.Load(new MemoryStream(dump)).Root!;
        var tables = string.Join(',', root.Elements("table").Select(t => (string?)t.Attribute("name") + ":" + t.Elements("row").Count()));
        var pool = root.Elements("table").Single(t => (string?)t.Attribute("name") == "pool").Element("row")!;
        return tables + "|" + (string?)pool.Attribute("uuid") + "|" + (string?)pool.Attribute("name__label");
    }

    private static async Task<byte[]> DecryptAsync(string path, PoolDbKey key)
    {
        await using var input = File.OpenRead(path);
        using var output = new MemoryStream();
        await PoolDbCipher.DecryptAsync(input, output, key, CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<string> PoolUuidAsync(SimulatorFixture sim)
    {
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        return (await session.Pool.GetAllRecordsAsync(CancellationToken.None)).Values.Single().Uuid;
    }

    /// <summary>Records the query of every <c>PUT /pool/xmldbdump</c> the simulator receives.</summary>
    private static ConcurrentQueue<string> CountPuts(SimulatorFixture sim)
    {
        var router = sim.Simulator.Router;
        var inner = router.Resolve("PUT", "/pool/xmldbdump");
        var seen = new ConcurrentQueue<string>();
        router.Map("PUT", "/pool/xmldbdump", (exchange, cancellationToken) =>
        {
            seen.Enqueue(exchange.RawQuery.TrimStart('?').Split('&').First(p => p.StartsWith("dry_run=", StringComparison.Ordinal)));
            return inner.HandleAsync(exchange, cancellationToken);
        });
        return seen;
    }

    private async Task<string> BackupAsync(SimulatorFixture sim)
    {
        var (exit, _, error) = await RunAsync(sim, "pool-db", "backup");
        exit.ShouldBe(0, error);
        return Path.Combine(_dir, "POOL_DB", "pool_db_20240309-010203.dump");
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, params string[] args) =>
        RunAsync(sim, Env(sim), args);

    private async Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, Dictionary<string, string> env, params string[] args)
    {
        _ = sim;
        var output = new StringWriter();
        var error = new StringWriter();
        env["VMBACKUP_BACKUP_DIR"] = _dir;
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : null;
        var root = new RootCommand
        {
            PoolDbCommand.Create(output, error, Lookup, _clock),
            HostBackupCommand.CreateBackup(output, error, Lookup),
            HostBackupCommand.CreateRestore(output, error, Lookup),
        };
        var exit = await root.Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
