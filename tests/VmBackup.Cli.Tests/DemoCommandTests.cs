using Spectre.Console;
using VmBackup.Cli.Commands;

namespace VmBackup.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_BacksUpEveryVmOfTheSamplePool_AndVerifiesEachBackup()
    {
        var console = new StringWriter();
        var log = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(console),
        });

        var exitCode = await DemoCommand.RunAsync(ansi, log, _dir, CancellationToken.None);

        exitCode.ShouldBe(0, log.ToString() + console);
        var text = console.ToString();
        text.ShouldContain("pool-demo at https://127.0.0.1:");
        log.ToString().ShouldContain("VmBackup ended - Success - S:4 W:0 E:0");

        // One successful, verified backup folder per VM; templates, snapshots and dom0 are not backed up.
        Directory.GetDirectories(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["DEV-build", "DEV-test", "PROD-db", "PROD-web"]);
        foreach (var vm in Directory.GetDirectories(_dir))
        {
            var backup = Directory.GetDirectories(vm).ShouldHaveSingleItem();
            File.Exists(Path.Combine(backup, "success")).ShouldBeTrue(backup);
            File.ReadAllText(Path.Combine(backup, "verified")).ShouldContain("result=ok");
        }

        File.Exists(Path.Combine(_dir, "DEV-build", Path.GetFileName(Directory.GetDirectories(Path.Combine(_dir, "DEV-build"))[0]), "DEV-build.vhd")).ShouldBeTrue();
        text.ShouldNotContain("FAILED");
    }
}
