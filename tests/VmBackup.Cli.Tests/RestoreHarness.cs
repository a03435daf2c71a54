using System.Security.Cryptography;
using VmBackup.Core.Restore;
using VmBackup.Formats.Hashing;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;
using VmBackup.TestKit;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Cli.Tests;

/// <summary>Backs VMs up with the NAUbackup engine and restores them, against XapiSim.</summary>
internal sealed class RestoreHarness : IDisposable
{
    public NauBackupHarness Backup { get; } = new();

    public void Dispose() => Backup.Dispose();

    /// <summary>Runs a backup with <paramref name="configLines"/> and returns the newest backup folder of <paramref name="vm"/>.</summary>
    public async Task<string> BackUpAsync(SimulatorFixture sim, string vm, params string[] configLines)
    {
        var (exit, lines) = await Backup.RunAsync(sim, sim.Credentials.Password, Backup.Config(configLines), []);
        exit.ShouldBe(0, string.Join('\n', lines));
        return Path.Combine(Backup.VmDir(vm), Backup.BackupFolders(vm)[^1]);
    }

    public static async Task<RestoreResult> RestoreAsync(XenApiSession session, string folder, RestoreOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var source = await RestoreSourceReader.LoadAsync(folder, cancellationToken);
        return await new RestoreService(session).RestoreAsync(source, options, progress, cancellationToken);
    }

    /// <summary>What a restore may create or leave behind.</summary>
    public static PoolCounts Counts(SimulatorFixture sim)
    {
        var db = sim.Simulator.Database;
        return new PoolCounts(db.Count("VM"), db.Count("VDI"), db.Count("VBD"), db.Count("VIF"), db.Count("task"));
    }

    /// <summary>Waits until the pool is back to <paramref name="expected"/> (XAPI cleans a failed import up asynchronously).</summary>
    public static async Task ShouldReturnToAsync(SimulatorFixture sim, PoolCounts expected)
    {
        for (var i = 0; i < 100 && Counts(sim) != expected; i++)
        {
            await Task.Delay(100);
        }

        Counts(sim).ShouldBe(expected);
    }

    /// <summary>SHA-256 of every disk of the VM (Disk VBDs, userdevice order), exported raw.</summary>
    public static async Task<IReadOnlyList<string>> DiskHashesAsync(XenApiSession session, XenRef<VmRecord> vm)
    {
        var hashes = new List<string>();
        foreach (var vdi in await NauBackupHarness.DisksAsync(session, vm))
        {
            hashes.Add(await NauBackupHarness.RawSha256Async(session, vdi));
        }

        return hashes;
    }

    /// <summary>(userdevice, virtual size) of the VM's disks in userdevice order.</summary>
    public static async Task<IReadOnlyList<(string Device, long Size)>> DiskLayoutAsync(XenApiSession session, XenRef<VmRecord> vm)
    {
        var result = new List<(string, long)>();
        foreach (var vbd in await session.Vm.GetVbdsAsync(vm, CancellationToken.None))
        {
            var record = await session.Vbd.GetRecordAsync(vbd, CancellationToken.None);
            if (record.Type == VbdType.Disk && !record.Vdi.IsNull)
            {
                result.Add((record.Userdevice, (await session.Vdi.GetRecordAsync(record.Vdi, CancellationToken.None)).VirtualSize));
            }
        }

        return [.. result.OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }

    public static async Task<IReadOnlyList<string>> MacsAsync(XenApiSession session, VmRecord vm)
    {
        var macs = new List<string>();
        foreach (var vif in vm.Vifs)
        {
            macs.Add((await session.Vif.GetRecordAsync(vif, CancellationToken.None)).Mac);
        }

        return [.. macs.Order(StringComparer.Ordinal)];
    }

    /// <summary>Rewrites a plain XVA with NAUbackup-era SHA-1 <c>.checksum</c> entries instead of <c>.xxhash</c>.</summary>
    public static async Task RewriteWithLegacyChecksumsAsync(string xva)
    {
        var legacy = xva + ".legacy";
        await using (var input = File.OpenRead(xva))
        await using (var output = File.Create(legacy))
        {
            var reader = new TarReader(input);
            var writer = new TarWriter(output);
            byte[] last = [];
            while (await reader.ReadNextEntryAsync(CancellationToken.None) is { } header)
            {
                var data = new byte[header.Size];
                await reader.ReadDataExactlyAsync(data, CancellationToken.None);
                if (header.Name.EndsWith(".xxhash", StringComparison.Ordinal))
                {
                    var chunk = header.Name[..^".xxhash".Length];
                    var (name, content) = XvaWriter.ChecksumEntry(chunk, last, ChunkChecksumKind.Sha1);
                    name.ShouldEndWith(".checksum");
                    await writer.WriteEntryAsync(name, content, header.ModificationTime, CancellationToken.None);
                    continue;
                }

                last = data;
                await writer.WriteEntryAsync(header.Name, data, header.ModificationTime, CancellationToken.None);
            }

            await writer.WriteEndAsync(CancellationToken.None);
        }

        File.Move(legacy, xva, overwrite: true);
    }

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}

/// <summary>Object counts of the simulated pool.</summary>
internal readonly record struct PoolCounts(int Vms, int Vdis, int Vbds, int Vifs, int Tasks);
