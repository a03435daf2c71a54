using System.CommandLine;
using System.Globalization;
using System.Text;
using Spectre.Console;
using VmBackup.Cli.Nau;
using VmBackup.Core.Nau;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;
using XapiSim;
using XapiSim.PoolFile;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup demo</c>: starts the embedded simulated pool (XapiSim, in-process, HTTPS with a fresh self-signed
/// certificate), backs every VM up with a NAUbackup-style config into <c>./demo-backups</c> (the pool is reached like a
/// real one: TLS pinned to the printed fingerprint), then verifies every byte of the new backups and prints a summary.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultDirectory = "demo-backups";

    public static Command Create(IAnsiConsole console)
    {
        var directory = new Option<string>("--backup-dir") { Description = "Where the demo writes its backups", DefaultValueFactory = _ => DefaultDirectory };
        var command = new Command("demo", "Back up and verify the VMs of an embedded simulated pool") { directory };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(console, Console.Out, parse.GetValue(directory) ?? DefaultDirectory, cancellationToken));
        return command;
    }

    /// <summary>Runs the demo; returns 0 when every VM was backed up and every backup verified.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, TextWriter output, string directory, CancellationToken cancellationToken)
    {
        var pool = PoolFileParser.Parse(SamplePool.ReadJson());
        await using var simulator = await XapiSimulator.StartAsync(
            new SimulatorOptions { Pool = pool, HttpsListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) },
            cancellationToken).ConfigureAwait(false);

        var server = simulator.HttpsUri!;
        console.MarkupLineInterpolated($"[bold]Simulated pool[/] {pool.NameLabel} at {server}");
        console.MarkupLineInterpolated($"TLS certificate SHA-256 {simulator.CertificateFingerprint}");

        var backupDir = Path.GetFullPath(directory);
        Directory.CreateDirectory(backupDir);
        var (user, password) = pool.Users.First();
        var passwordFile = Path.Combine(backupDir, "demo.pass");
        NauPasswordFile.Write(passwordFile, password);
        var config = Path.Combine(backupDir, "demo.cfg");
        await File.WriteAllTextAsync(config, DemoConfig(backupDir), cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"Backing up with [bold]vmbackup {passwordFile} {config}[/] (NAUbackup form)");

        var started = DateTime.UtcNow;
        var nau = new NauCommand(output, TimeProvider.System, FileSystemPathProbe.Instance, _ => null);
        var backupExit = await nau.RunAsync(
            [passwordFile, config, "--server", server.ToString(), "--user", user, "--tls-fingerprint", simulator.CertificateFingerprint!],
            cancellationToken).ConfigureAwait(false);

        console.MarkupLine("[bold]Verifying[/] every byte of the new backups");
        var table = new Table().AddColumns("VM", "backup", "kind", "size", "verify", "SHA-256");
        var verifyFailures = 0;
        var root = new NauBackupRoot(backupDir);
        foreach (var vmFolder in root.ListVmFolderNames().Order(StringComparer.Ordinal))
        {
            var newest = root.VmFolder(vmFolder).ListRestorePoints()
                .Where(p => p.IsSuccessful && p.LocalTime.ToUniversalTime() >= started.AddSeconds(-1))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .LastOrDefault();
            if (newest is null)
            {
                continue;
            }

            var result = await BackupVerifier.VerifyAsync(newest.Path, cancellationToken).ConfigureAwait(false);
            verifyFailures += result.IsOk ? 0 : 1;
            table.AddRow(
                Markup.Escape(vmFolder),
                Markup.Escape(newest.Name),
                newest.DataFile?.Kind.ToString() ?? "?",
                Size(newest.DataFile?.Length ?? 0),
                result.IsOk ? "[green]OK[/]" : "[red]FAILED[/] " + Markup.Escape(string.Join("; ", result.Failures)),
                result.Sha256 is { } sha ? sha[..16] + "…" : "-");
        }

        console.Write(table);
        var exit = backupExit != 0 ? backupExit : verifyFailures > 0 ? 2 : 0;
        console.MarkupLineInterpolated($"Backups in {backupDir}: backup exit status {backupExit}, {verifyFailures} verification failure(s). Try: vmbackup list --backup-dir {directory}");
        return exit;
    }

    private static string DemoConfig(string backupDir)
    {
        var config = new StringBuilder();
        config.AppendLine("# vmbackup demo: NAUbackup config syntax, unchanged");
        config.AppendLine("max_backups=2");
        config.AppendLine(CultureInfo.InvariantCulture, $"backup_dir={backupDir}");
        config.AppendLine(CultureInfo.InvariantCulture, $"status_log={Path.Combine(backupDir, "status.log")}");
        config.AppendLine("vdi_export_format=vhd");
        config.AppendLine("# the boot disk of DEV-build as a VHD, every other VM as a full XVA");
        config.AppendLine("vdi-export=DEV-build");
        config.AppendLine("vm-export=.*");
        return config.ToString();
    }

    private static string Size(long bytes) =>
        bytes >= 1L << 30
            ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
            : (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
