using System.Text;
using VmBackup.Cli.Nau;
using VmBackup.Core.Nau;
using VmBackup.TestKit;

namespace VmBackup.Cli.Tests;

/// <summary>The NAUbackup command-line form, end to end against the simulated sample pool.</summary>
public sealed class NauPreviewTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Preview_WithConfigFileAndPasswordFile_SelectsLikeNaubackupAndExitsZero()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var backups = Directory.CreateDirectory(Path.Combine(_dir, "BACKUPS")).FullName;
        var config = Path.Combine(_dir, "weekend.cfg");
        await File.WriteAllTextAsync(config, $"""
            # weekend backups
            max_backups=3
            backup_dir={backups}
            vm-export=PROD.*
            vdi-export=DEV-test:2
            exclude=PROD-db
            """);
        var passwordFile = Path.Combine(_dir, "pool.pass");
        await File.WriteAllTextAsync(passwordFile, Convert.ToBase64String(Encoding.UTF8.GetBytes(sim.Credentials.Password)));

        var (exit, lines) = await RunAsync(sim, passwordFile, config, "preview");

        exit.ShouldBe(0);
        lines.ShouldContain("  max_backups       = 3");
        lines.ShouldContain("  vm-export (cnt)= 1");
        lines.ShouldContain("  vm-export: PROD-web");
        lines.ShouldContain("  vdi-export: DEV-test:2");
        lines.ShouldContain("  exclude: PROD-db");
        lines.ShouldContain(l => l.Contains("VmBackup config loaded from: " + config, StringComparison.Ordinal));
        lines[^1].ShouldEndWith("SUCCESS preview of parameters ");
    }

    [Fact]
    public async Task Preview_WithWrongPassword_PrintsXapiFailureAndExitsOne()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await RunAsync(sim, "not-the-password", "PROD-web", "preview");

        exit.ShouldBe(1);
        lines.ShouldContain(l => l.StartsWith("['SESSION_AUTHENTICATION_FAILED', 'root'", StringComparison.Ordinal));
        lines.ShouldContain("ERROR - XenAPI authentication error");
        string.Join('\n', lines).ShouldNotContain("not-the-password");
    }

    [Fact]
    public async Task Preview_OfAnUnknownConfigKey_NamesTheKeyAndExitsOne()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var config = Path.Combine(_dir, "bad.cfg");
        await File.WriteAllTextAsync(config, "max_backups=3\nmax_backup=4\nvm-export=PROD-web\n");

        var (exit, lines) = await RunAsync(sim, sim.Credentials.Password, config, "preview");

        exit.ShouldBe(1);
        lines.ShouldContain("***ERROR unexpected config key: max_backup");
    }

    private static async Task<(int Exit, string[] Lines)> RunAsync(SimulatorFixture sim, params string[] args)
    {
        var output = new StringWriter();
        var command = new NauCommand(output, TimeProvider.System, FileSystemPathProbe.Instance, _ => null);
        var exit = await command.RunAsync([.. args, "--server", sim.HttpUri.ToString()], CancellationToken.None);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        lines = [.. lines.Select(StripTimestamp)];
        return (exit, lines);
    }

    /// <summary>Drops NAUbackup's <c>YYYY-MM-DD-(HH:MM:SS) - </c> prefix so that assertions do not depend on the clock.</summary>
    private static string StripTimestamp(string line) =>
        line.Length > 24 && line[10] == '-' && line[11] == '(' && line.AsSpan(20, 4).SequenceEqual(") - ") ? line[24..] : line;
}
