using Spectre.Console;
using VmBackup.Cli.Commands;

namespace VmBackup.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_StartsTheSamplePool_ConnectsOverPinnedTls_AndListsItsVms()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });

        var exitCode = await DemoCommand.RunAsync(console, CancellationToken.None);

        exitCode.ShouldBe(0);
        var text = output.ToString();
        text.ShouldContain("pool-demo at https://127.0.0.1:");
        text.ShouldContain("TLS pinned");
        foreach (var vm in new[] { "PROD-web", "PROD-db", "DEV-test", "DEV-build" })
        {
            text.ShouldContain(vm);
        }

        text.ShouldNotContain("TMPL-debian-golden", Case.Sensitive, "templates are not backup candidates");
        text.ShouldNotContain("before upgrade", Case.Sensitive, "snapshots are not backup candidates");
        text.ShouldNotContain("Control domain", Case.Sensitive, "dom0 is not a backup candidate");
    }
}
