using VmBackup.Core.Nau;

namespace VmBackup.Core.Tests.Nau;

public sealed class PythonTextTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 3 ", 3)]
    [InlineData("+3", 3)]
    [InlineData("-1", -1)]
    [InlineData("007", 7)]
    [InlineData("99999999999999999999", int.MaxValue)]
    public void TryParseInt_accepts_python_int_syntax(string s, int expected)
    {
        PythonText.TryParseInt(s, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3.0")]
    [InlineData("3 # keep")]
    [InlineData("+")]
    [InlineData("0x10")]
    [InlineData("\u0663")]
    public void TryParseInt_rejects_everything_else(string s)
    {
        PythonText.TryParseInt(s, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("OpaqueRef:a", "'OpaqueRef:a'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("a'b\"c", "'a\\'b\"c'")]
    [InlineData("tab\there", "'tab\\there'")]
    [InlineData("caf\u00e9", "'caf\\xc3\\xa9'")]
    public void Repr_matches_python2(string s, string expected)
    {
        PythonText.Repr(s).ShouldBe(expected);
    }

    [Fact]
    public void ReprList_matches_python2_list_repr()
    {
        PythonText.ReprList(["OpaqueRef:1", "OpaqueRef:2"]).ShouldBe("['OpaqueRef:1', 'OpaqueRef:2']");
        PythonText.ReprList([]).ShouldBe("[]");
    }

    [Fact]
    public void Formatter_prints_v325_timestamp_in_local_time_and_raw_lines_bare()
    {
        var formatter = new NauLogFormatter(new FixedTimeProvider(new DateTimeOffset(2016, 1, 29, 10, 33, 49, TimeSpan.Zero)));
        formatter.Format(NauLogLine.Log("VmBackup config loaded from: x")).ShouldBe("2016-01-29-(10:33:49) - VmBackup config loaded from: x");
        formatter.Format(NauLogLine.Raw("ERROR in config_load, consider ignore_extra_keys=true")).ShouldBe("ERROR in config_load, consider ignore_extra_keys=true");
        NauLogFormatter.FormatPrefix(new DateTimeOffset(2019, 6, 30, 16, 52, 37, TimeSpan.FromHours(2))).ShouldBe("2019-06-30-(16:52:37) - ");
    }
}
