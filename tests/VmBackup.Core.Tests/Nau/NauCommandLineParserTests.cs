using VmBackup.Core.Nau.CommandLine;

namespace VmBackup.Core.Tests.Nau;

public sealed class NauCommandLineParserTests
{
    private static NauCommandLine Parse(FakePaths paths, Func<string, string?>? env, params string[] args) =>
        NauCommandLineParser.Parse(args, paths, env).GetValueOrThrow();

    private static NauCommandLine Parse(params string[] args) => Parse(new FakePaths(), null, args);

    [Fact]
    public void Existing_path_as_first_argument_is_a_password_file()
    {
        var paths = new FakePaths();
        paths.Files["/root/VmBackup.pass"] = "c2VjcmV0";
        paths.Files["monthly.cfg"] = "vm-export=x";

        var cmd = Parse(paths, null, "/root/VmBackup.pass", "monthly.cfg");

        cmd.Password.ShouldBe(new NauPasswordSource("/root/VmBackup.pass", true));
        cmd.TargetKind.ShouldBe(NauTargetKind.ConfigFile);
        cmd.TargetArgument.ShouldBe("monthly.cfg");
        cmd.Preview.ShouldBeFalse();
    }

    [Fact]
    public void Vm_selector_forms_follow_v325()
    {
        Parse("pw", "DEV mySql").ShouldSatisfyAllConditions(
            c => c.TargetKind.ShouldBe(NauTargetKind.VmSelector),
            c => c.SelectorKey.ShouldBe("vm-export"),
            c => c.Selector.ShouldBe("DEV mySql"));
        Parse("pw", "vdi-export=DEV-mySql").ShouldSatisfyAllConditions(
            c => c.SelectorKey.ShouldBe("vdi-export"),
            c => c.Selector.ShouldBe("DEV-mySql"));
        Parse("pw", "vm-export=a=b").ShouldSatisfyAllConditions(
            c => c.SelectorKey.ShouldBe("vm-export"),
            c => c.Selector.ShouldBe("vm-export=a=b"));
    }

    [Fact]
    public void Create_password_file_keeps_everything_after_the_first_equals()
    {
        var cmd = Parse("secret", "create-password-file=a=b.pass", "ignored", "words");
        cmd.Action.ShouldBe(NauAction.CreatePasswordFile);
        cmd.PasswordFileToCreate.ShouldBe("a=b.pass");
    }

    [Fact]
    public void Create_password_file_is_recognised_case_insensitively()
    {
        Parse("secret", "Create-Password-File=x.pass").PasswordFileToCreate.ShouldBe("x.pass");
    }

    [Fact]
    public void Usage_words_anywhere_win_even_as_password()
    {
        Parse("help", "PROD-db").ShouldSatisfyAllConditions(
            c => c.Action.ShouldBe(NauAction.Usage),
            c => c.UsageTopics.ShouldBe(NauUsageTopics.Help));
        Parse("pw", "example", "config").UsageTopics.ShouldBe(NauUsageTopics.Config | NauUsageTopics.Example);
        Parse("pw", "HELP").Action.ShouldBe(NauAction.Run); // case-sensitive
    }

    [Fact]
    public void Optional_values_are_case_insensitive_and_anything_but_true_is_false()
    {
        var cmd = Parse("pw", "x", "Ignore_Extra_Keys=TRUE", "pre_clean=yes", "compress=1");
        cmd.IgnoreExtraKeys.ShouldBeTrue();
        cmd.PreClean.ShouldBeFalse();
        cmd.Compress.ShouldBe(NauCompression.False);
        Parse("pw", "x").Compress.ShouldBeNull();
    }

    [Fact]
    public void Connection_options_are_taken_anywhere_and_fall_back_to_environment()
    {
        var env = new Dictionary<string, string?> { ["VMBACKUP_SERVER"] = "https://env.example", ["VMBACKUP_USER"] = "backup" };
        var cmd = Parse(new FakePaths(), n => env.GetValueOrDefault(n), "pw", "--tls-fingerprint=AB:CD", "x", "--user", "admin", "preview");

        cmd.Connection.ShouldBe(new NauConnectionOptions("https://env.example", "admin", "AB:CD", false));
        cmd.Preview.ShouldBeTrue();
        Parse("pw", "x").Connection.EffectiveServer.ShouldBe("https://localhost/");
        Parse("pw", "x").Connection.EffectiveUser.ShouldBe("root");
    }

    [Fact]
    public void Double_dash_ends_options_so_a_password_may_start_with_dashes()
    {
        var cmd = Parse("--", "--secret", "x");
        cmd.Password!.Value.ShouldBe("--secret");
        cmd.Selector.ShouldBe("x");
    }

    [Theory]
    [InlineData("ERROR option --server needs a value", "pw", "x", "--server")]
    [InlineData("ERROR option --user needs a value", "pw", "x", "--user=")]
    [InlineData("ERROR option --insecure takes no value: --insecure=yes", "pw", "x", "--insecure=yes")]
    [InlineData("ERROR missing value for parameter: ignore_extra_keys (use ignore_extra_keys=True|False)", "pw", "x", "ignore_extra_keys")]
    public void Bad_options_give_one_clear_line_and_exit_1(string message, params string[] args)
    {
        var result = NauCommandLineParser.Parse(args, new FakePaths());
        result.Success.ShouldBeFalse();
        result.ExitCode.ShouldBe(1);
        result.ErrorLines.Count.ShouldBe(1);
        result.ErrorMessage.ShouldBe(message);
    }
}
