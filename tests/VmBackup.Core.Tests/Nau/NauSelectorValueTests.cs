using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Tests.Nau;

public sealed class NauSelectorValueTests
{
    [Theory]
    [InlineData("PROD-db", "PROD-db", null)]
    [InlineData("PROD-db:2", "PROD-db", "2")]
    [InlineData("PROD-web:", "PROD-web", null)]
    [InlineData("TEST vm: 3", "TEST vm", " 3")]
    [InlineData("PROD-db:2:9", "PROD-db", "2:9")]
    [InlineData("PROD-db:abc", "PROD-db", "abc")]
    [InlineData("(?:a|b)", "(?:a|b)", null)]
    [InlineData("(?:a|b):3", "(?:a|b)", "3")]
    [InlineData("web\\:01$:5", "web\\:01$", "5")]
    [InlineData("[:]x:4", "[:]x", "4")]
    [InlineData("[]:]x:4", "[]:]x", "4")]
    [InlineData("[^]:]x:4", "[^]:]x", "4")]
    [InlineData(".*SAVE$:5", ".*SAVE$", "5")]
    [InlineData("PRD-.*print[\\d{1,}]$:8", "PRD-.*print[\\d{1,}]$", "8")]
    [InlineData(":3", "", "3")]
    public void Split_uses_the_first_colon_that_is_not_regex_syntax(string value, string selector, string? suffix)
    {
        NauSelectorValue.Split(value).ShouldBe((selector, suffix));
    }

    [Theory]
    [InlineData("3", 3, 3)]
    [InlineData(" 3", 3, 3)]
    [InlineData("+3", 3, 3)]
    [InlineData("0", null, 4)]
    [InlineData("-1", null, 4)]
    public void Entry_max_backups_falls_back_to_global_for_values_below_one(string suffix, int? expectedOverride, int effective)
    {
        var entry = new NauSelectionEntry("vm", suffix);
        entry.HasValidSuffix.ShouldBeTrue();
        entry.MaxBackupsOverride.ShouldBe(expectedOverride);
        entry.EffectiveMaxBackups(4).ShouldBe(effective);
        entry.ToString().ShouldBe("vm:" + suffix);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("3.5")]
    [InlineData("2:9")]
    [InlineData("3 # keep")]
    public void Entry_suffix_that_is_not_a_python_int_is_invalid(string suffix)
    {
        new NauSelectionEntry("vm", suffix).HasValidSuffix.ShouldBeFalse();
    }
}
