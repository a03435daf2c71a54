using System.Text.RegularExpressions;
using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Tests.Nau;

public sealed class PythonRegexTests
{
    [Theory]
    [InlineData("PROD-db", true)]
    [InlineData("DEV mySql", true)]
    [InlineData("my_vm\tx", true)]
    [InlineData("web.01", false)]
    [InlineData("web:01", false)]
    [InlineData("", false)]
    [InlineData("caf\u00e9", false)] // non-ASCII: Python 2 byte strings make it a regex
    [InlineData("\u0661\u0662", false)] // Arabic-Indic digits are not \d/\w in Python 2
    public void IsSimpleName_follows_python2_ascii_rules(string selector, bool simple)
    {
        PythonRegex.IsSimpleName(selector).ShouldBe(simple);
    }

    [Theory]
    [InlineData("web.01", "web.01", true)]
    [InlineData("web.01", "webX01", true)]
    [InlineData("web.01", "web.01-old", true)]
    [InlineData("web.01", "aweb.01", false)]
    [InlineData("PROD-db$", "PROD-db", true)]
    [InlineData("PROD-db$", "PROD-db-replica", false)]
    [InlineData("^PROD", "PROD-x", true)]
    [InlineData(".*SAVE$", "BACKUP-SAVE", true)]
    [InlineData("(?P<env>PROD)-(?P=env)", "PROD-PROD", true)]
    [InlineData("(?P<env>PROD)-(?P=env)", "PROD-DEV", false)]
    [InlineData("DEV-\\d{,2}$", "DEV-10", true)]
    [InlineData("DEV-\\d{,2}$", "DEV-100", false)]
    [InlineData("a{}", "a{}", true)]
    [InlineData("\\w+$", "caf\u00e9", false)]
    [InlineData("\\d", "\u0661", false)]
    [InlineData("\\s", "\u00a0", false)]
    [InlineData("x\\b", "x\u00e9", true)] // Python 2: é is not a word character, so there is a boundary
    [InlineData("PROD\\Z", "PROD", true)]
    [InlineData("PROD\\Z", "PROD\n", false)]
    [InlineData("PROD$", "PROD\n", true)]
    [InlineData("(?i)prod", "PROD", true)]
    [InlineData("[a\\-z]", "-", true)]
    [InlineData("[a\\-z]", "m", false)]
    [InlineData("[a-z-[aeiou]]", "b]", true)] // Python: no class subtraction; the final ] is a literal
    [InlineData("\\p", "p", true)] // Python 2: unknown letter escape is the letter
    [InlineData("(?:a|b):x", "b:x", true)]
    [InlineData("web\\:01", "web:01", true)]
    [InlineData("", "anything", true)]
    public void MatchAtStart_has_python_re_match_semantics(string pattern, string input, bool expected)
    {
        PythonRegex.TryCompile(pattern, out var regex, out var error).ShouldBeTrue(error);
        regex!.MatchAtStart(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("(?<n>x)")] // .NET named group: invalid in Python 2
    [InlineData("(?'n'x)")]
    [InlineData("(?>x)")] // atomic group
    [InlineData("(?i:x)")] // scoped flags
    [InlineData("(?n)x")]
    [InlineData("PRD-[aA.*")]
    [InlineData("C++")]
    [InlineData("*abc")]
    [InlineData("(abc")]
    [InlineData("abc)")]
    [InlineData("abc\\")]
    [InlineData("(?P<1x>a)")]
    [InlineData("(?P=missing)")]
    public void TryCompile_rejects_what_python2_rejects(string pattern)
    {
        PythonRegex.TryCompile(pattern, out var regex, out var error).ShouldBeFalse();
        regex.ShouldBeNull();
        error.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void MatchAtStart_times_out_on_catastrophic_backtracking()
    {
        PythonRegex.TryCompile("(a+)+$", out var regex, out _, TimeSpan.FromMilliseconds(50)).ShouldBeTrue();
        Should.Throw<RegexMatchTimeoutException>(() => regex!.MatchAtStart(new string('a', 40) + "!"));
    }

    [Fact]
    public void VmSelector_reports_a_timed_out_regex_as_regex_error()
    {
        var pool = PoolBuilder.Vms(new string('a', 40) + "!", "b");
        var selection = VmSelector.SelectFromCommandLine("vm-export", "(a+)+$", pool, TimeSpan.FromMilliseconds(50));
        selection.HasRegexError.ShouldBeTrue();
        selection.LoadMessages[0].Message.ShouldStartWith("***ERROR - regex timed out: vm-export=(a+)+$");
    }
}
