using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VmBackup.Xapi;
using XapiSim;
using XapiSim.PoolFile;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup demo</c>: starts the embedded simulated pool (XapiSim, in-process, HTTPS with a fresh self-signed
/// certificate), connects to it the way a real pool is reached (TLS pinned to the printed fingerprint) and works on it.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("demo", "Start the embedded simulated pool and show what VmBackup does on it");
        command.SetAction((_, cancellationToken) => RunAsync(console, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, CancellationToken cancellationToken)
    {
        var pool = PoolFileParser.Parse(SamplePool.ReadJson());
        await using var simulator = await XapiSimulator.StartAsync(
            new SimulatorOptions { Pool = pool, HttpsListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) },
            cancellationToken).ConfigureAwait(false);

        var server = simulator.HttpsUri!;
        console.MarkupLineInterpolated($"[bold]Simulated pool[/] {pool.NameLabel} at {server}");
        console.MarkupLineInterpolated($"TLS certificate SHA-256 {simulator.CertificateFingerprint}");

        var (user, password) = pool.Users.First();
        var options = new XenApiClientOptions { TlsFingerprint = simulator.CertificateFingerprint };
        await using var session = await XenApiSession.ConnectAsync(server, user, password, options, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"Connected as {user} over {session.Protocol}, TLS pinned to the pool certificate.");

        var vms = await session.Vm.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vdis = await session.Vdi.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var vbds = await session.Vbd.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);

        var table = new Table().AddColumns("VM", "power state", "memory", "vCPUs", "disks", "disk size");
        var backupCandidates = vms.Values
            .Where(vm => !vm.IsATemplate && !vm.IsASnapshot && !vm.IsControlDomain)
            .OrderBy(vm => vm.NameLabel, StringComparer.Ordinal);
        foreach (var vm in backupCandidates)
        {
            var disks = vm.Vbds
                .Select(vbd => vbds.TryGetValue(vbd, out var record) ? record : null)
                .Where(vbd => vbd is { Type: Xapi.Records.VbdType.Disk } && vdis.ContainsKey(vbd.Vdi))
                .Select(vbd => vdis[vbd!.Vdi])
                .ToList();
            table.AddRow(
                Markup.Escape(vm.NameLabel),
                vm.PowerState.ToString(),
                Size(vm.MemoryStaticMax),
                vm.VcpusMax.ToString(CultureInfo.InvariantCulture),
                disks.Count.ToString(CultureInfo.InvariantCulture),
                Size(disks.Sum(d => d.VirtualSize)));
        }

        console.Write(table);
        console.MarkupLine("Backing these VMs up and verifying them arrives with the backup engine (issue 4).");
        return ExitCodes.Success;
    }

    private static string Size(long bytes) =>
        bytes >= 1L << 30
            ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
            : (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
