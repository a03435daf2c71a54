using System.Security.Cryptography;
using VmBackup.Cli.Nau;
using VmBackup.Core.Nau;
using VmBackup.TestKit;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Cli.Tests;

/// <summary>Runs <c>vmbackup PASSWORD CONFIG ...</c> through <see cref="NauCommand"/> against a simulator, with a controlled clock.</summary>
internal sealed class NauBackupHarness : IDisposable
{
    public NauBackupHarness()
    {
        Root = Directory.CreateTempSubdirectory("vmbackup-run-").FullName;
        BackupDir = Directory.CreateDirectory(Path.Combine(Root, "BACKUPS")).FullName;
        StatusLog = Path.Combine(Root, "status.log");
    }

    public string Root { get; }

    public string BackupDir { get; }

    public string StatusLog { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2024, 3, 9, 1, 2, 3, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Writes a config file with backup_dir and status_log set, plus <paramref name="lines"/>.</summary>
    public string Config(params string[] lines)
    {
        var path = Path.Combine(Root, "run.cfg");
        File.WriteAllText(path, $"backup_dir={BackupDir}\nstatus_log={StatusLog}\n" + string.Join('\n', lines) + "\n");
        return path;
    }

    public async Task<(int Exit, string[] Lines)> RunAsync(SimulatorFixture sim, string password, string target, string[] extra, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var command = new NauCommand(output, Clock, FileSystemPathProbe.Instance, _ => null);
        var exit = await command.RunAsync([password, target, .. extra, "--server", sim.HttpUri.ToString()], cancellationToken);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var lines = output.ToString().Split('\n').Where(l => l.Length > 0).Select(StripTimestamp).ToArray();
        return (exit, lines);
    }

    public Task<(int Exit, string[] Lines)> RunConfigAsync(SimulatorFixture sim, params string[] configLines) =>
        RunAsync(sim, sim.Credentials.Password, Config(configLines), []);

    public string VmDir(string vm) => Path.Combine(BackupDir, vm);

    public string[] BackupFolders(string vm) =>
        Directory.Exists(VmDir(vm)) ? [.. Directory.GetDirectories(VmDir(vm)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    public static bool IsSuccessful(string folder) => File.Exists(Path.Combine(folder, "success"));

    /// <summary>Objects a backup may create on the pool: snapshots, VDIs, tasks.</summary>
    public static (int Snapshots, int Vdis, int Tasks) PoolLeftovers(SimulatorFixture sim)
    {
        var db = sim.Simulator.Database;
        return (db.Where("VM", r => (bool)r["is_a_snapshot"] && ((string)r["name_label"]).StartsWith("RESTORE_", StringComparison.Ordinal)).Count, db.Count("VDI"), db.Count("task"));
    }

    public static async Task<XenApiSession> ConnectAsync(SimulatorFixture sim) =>
        await XenApiSession.ConnectAsync(sim.HttpUri, sim.Credentials.User, sim.Credentials.Password, null, CancellationToken.None);

    public static async Task<XenRef<VmRecord>> VmAsync(XenApiSession session, string name) =>
        (await session.Vm.GetByNameLabelAsync(name, CancellationToken.None)).Single();

    /// <summary>The VM's disks (Disk VBDs) in userdevice order.</summary>
    public static async Task<IReadOnlyList<XenRef<VdiRecord>>> DisksAsync(XenApiSession session, XenRef<VmRecord> vm)
    {
        var disks = new List<(string Device, XenRef<VdiRecord> Vdi)>();
        foreach (var vbd in await session.Vm.GetVbdsAsync(vm, CancellationToken.None))
        {
            var record = await session.Vbd.GetRecordAsync(vbd, CancellationToken.None);
            if (record.Type == VbdType.Disk && !record.Vdi.IsNull)
            {
                disks.Add((record.Userdevice, record.Vdi));
            }
        }

        return [.. disks.OrderBy(d => d.Device, StringComparer.Ordinal).Select(d => d.Vdi)];
    }

    public static async Task<string> RawSha256Async(XenApiSession session, XenRef<VdiRecord> vdi)
    {
        var transfers = new XenApiTransfers(session);
        await using var export = await transfers.ExportVdiAsync(vdi, VdiExportFormat.Raw, null, CancellationToken.None);
        var hash = await SHA256.HashDataAsync(export);
        return Convert.ToHexString(hash);
    }

    public static async Task<string> FileSha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }

    private static string StripTimestamp(string line) =>
        line.Length > 24 && line[10] == '-' && line[11] == '(' && line.AsSpan(20, 4).SequenceEqual(") - ") ? line[24..] : line;
}

/// <summary>A clock that stands still until advanced; local time is UTC.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
