using System.Security.Cryptography;
using System.Text.Json;
using VmBackup.Cli.Commands;
using VmBackup.TestKit;
using System.CommandLine;

namespace VmBackup.Cli.Tests;

/// <summary>
/// Two simulated sites for the DR tests: site A's pool owns the replicated SR (an iSCSI LUN whose folder the array
/// "replicates"); site B's pool only sees that LUN as a storage target until <c>vmbackup dr failover --type ...</c>
/// introduces it. VMs: web (disk on the replicated SR), db (disk on A's local SR: not replicated), and the vApp
/// "shop" made of shop-db (order 0) and shop-web (order 1), created by <see cref="CreateShopAsync"/>.
/// </summary>
internal sealed class DrSites : IDisposable
{
    public const string SrUuid = "5d0c7a1e-2b3f-4c8d-9e6a-1f2b3c4d5e6f";
    public const string Target = "192.0.2.10";
    public const string Iqn = "iqn.2026-11.org.example:dr";
    public const string ScsiId = "36001405dr0000001";

    public const string Sr2Uuid = "8e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b";
    public const string ScsiId2 = "36001405dr0000002";

    public string Folder { get; } = Directory.CreateTempSubdirectory("vmbackup-dr-lun-").FullName;

    /// <summary>A second replicated LUN of site A (SR "Replicated 2").</summary>
    public string Folder2 => Path.Combine(Folder, "lun2");

    /// <summary>What site B sees of the second LUN: a copy taken earlier (the array's replication of it lags).</summary>
    public string Folder2Replica => Path.Combine(Folder, "lun2-replica");

    public static string[] DeviceConfig => ["--type", "lvmoiscsi", "--device-config", "target=" + Target, "--device-config", "targetIQN=" + Iqn, "--device-config", "SCSIid=" + ScsiId];

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string SecondLunSr => $$"""
        ,
        { "name_label": "Replicated 2", "uuid": "{{Sr2Uuid}}", "type": "lvmoiscsi", "shared": true,
          "shared_storage": {{JsonSerializer.Serialize(Folder2)}},
          "device_config": { "target": "{{Target}}", "targetIQN": "{{Iqn}}", "SCSIid": "{{ScsiId2}}" } }
        """;

    private string SecondLunTarget => $$"""
        ,
        { "type": "lvmoiscsi", "device_config": { "target": "{{Target}}", "targetIQN": "{{Iqn}}", "SCSIid": "{{ScsiId2}}" },
          "folder": {{JsonSerializer.Serialize(_lun2Seen)}} }
        """;

    private const string WideVm = """
        ,
        { "name_label": "wide", "disks": [ { "size": "4MiB" }, { "device": "xvdb", "size": "4MiB", "sr": "Replicated 2" } ] }
        """;

    public string PrimaryJson(bool twoLuns = false) => $$"""
        {
          "default_templates": false,
          "srs": [
            { "name_label": "Replicated", "uuid": "{{SrUuid}}", "type": "lvmoiscsi", "shared": true, "default": true,
              "shared_storage": {{JsonSerializer.Serialize(Folder)}},
              "device_config": { "target": "{{Target}}", "targetIQN": "{{Iqn}}", "SCSIid": "{{ScsiId}}" } },
            { "name_label": "Local", "type": "ext", "size": "10GiB" }{{(twoLuns ? SecondLunSr : string.Empty)}}
          ],
          "vms": [
            { "name_label": "web", "power_state": "Running", "memory": "2GiB", "vcpus": 2, "disks": [ { "size": "8MiB" } ], "vifs": [ { "device": "0", "mac": "aa:00:00:00:00:01" } ] },
            { "name_label": "db", "disks": [ { "size": "8MiB", "sr": "Local" } ] },
            { "name_label": "shop-db", "disks": [ { "size": "4MiB" } ] },
            { "name_label": "shop-web", "disks": [ { "size": "4MiB" } ] },
            { "name_label": "shop-cache", "disks": [ { "size": "4MiB", "sr": "Local" } ] }{{(twoLuns ? WideVm : string.Empty)}}
          ]
        }
        """;

    private string _lun2Seen = string.Empty;

    /// <summary>Site B; with <paramref name="twoLuns"/> it also sees LUN 2: the lagging replica, or the live folder with <paramref name="liveLun2"/>.</summary>
    public string SecondaryJson(bool twoLuns = false, bool liveLun2 = false)
    {
        _lun2Seen = liveLun2 ? Folder2 : Folder2Replica;
        return SecondaryText(twoLuns);
    }

    private string SecondaryText(bool twoLuns) => $$"""
        {
          "default_templates": false,
          "srs": [ { "name_label": "Local B", "type": "ext", "size": "10GiB", "default": true } ],
          "storage_targets": [
            { "type": "lvmoiscsi", "device_config": { "target": "{{Target}}", "targetIQN": "{{Iqn}}", "SCSIid": "{{ScsiId}}" },
              "folder": {{JsonSerializer.Serialize(Folder)}} }{{(twoLuns ? SecondLunTarget : string.Empty)}} ],
          "vms": [ { "name_label": "monitor", "disks": [ { "size": "4MiB" } ] } ]
        }
        """;

    /// <summary>Creates the vApps on site A: "shop" (shop-db order 0, shop-web order 1) and "broken" (shop-cache, on the local SR).</summary>
    public static async Task CreateShopAsync(SimulatorFixture a)
    {
        await using var session = await ConnectAsync(a);
        var shop = await session.CallAsync<string>("VM_appliance.create", [new Dictionary<string, object> { ["name_label"] = "shop", ["name_description"] = "the web shop" }], CancellationToken.None);
        var broken = await session.CallAsync<string>("VM_appliance.create", [new Dictionary<string, object> { ["name_label"] = "broken", ["name_description"] = string.Empty }], CancellationToken.None);
        foreach (var (name, appliance, order) in new[] { ("shop-db", shop, 0L), ("shop-web", shop, 1L), ("shop-cache", broken, 0L) })
        {
            var vm = a.Simulator.Database.FindByNameLabel("VM", name).Single();
            await session.CallAsync("VM.set_appliance", [vm, appliance], CancellationToken.None);
            await session.CallAsync("VM.set_order", [vm, order], CancellationToken.None);
        }
    }

    public static Task<VmBackup.Xapi.XenApiSession> ConnectAsync(SimulatorFixture sim)
        => NauBackupHarness.ConnectAsync(sim);

    /// <summary>SHA-256 of the VDI's bytes as the pool serves them.</summary>
    public static string DiskHash(SimulatorFixture sim, string vdiUuid)
    {
        var pool = sim.Simulator.Pool;
        var vdi = sim.Simulator.Database.FindByUuid("VDI", vdiUuid)!;
        var size = (long)sim.Simulator.Database.Get("VDI", vdi, "virtual_size");
        var bytes = new byte[size];
        pool.Disks.Read(pool.DiskOf(vdi)!, 0, bytes);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    /// <summary>The uuids of the rows of <paramref name="tables"/>, to compare a pool before and after.</summary>
    public static string Lists(SimulatorFixture sim, params string[] tables)
    {
        var db = sim.Simulator.Database;
        return string.Join(" ", tables.Select(t => $"{t}:{string.Join(",", db.Where(t, _ => true).Select(r => db.GetString(t, r, "uuid")).Order(StringComparer.Ordinal))}"));
    }

    /// <summary>Every file of the replicated LUN's folder: name, length, last write time and, for files up to 64 MiB, SHA-256.</summary>
    public string FolderHash()
        => string.Join(";", Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f =>
        {
            var info = new FileInfo(f);
            var hash = info.Length <= 64 << 20 ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "large";
            return $"{Path.GetRelativePath(Folder, f)}={info.Length}@{info.LastWriteTimeUtc:O}:{hash}";
        }));

    /// <summary>The folder's <see cref="FolderHash"/> once the primary's replication has written its last change (the same for half a second).</summary>
    public async Task<string> SettledFolderHashAsync()
    {
        var last = FolderHash();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(500);
            var now = FolderHash();
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        throw new TimeoutException("the replicated metadata kept changing");
    }

    public static async Task<(int Exit, string Output, string Error)> RunAsync(SimulatorFixture sim, params string[] args)
    {
        var env = RestoreCommandTests.Env(sim);
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : null;
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { DrCommand.Create(output, error, Lookup) };
        var exit = await root.Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
