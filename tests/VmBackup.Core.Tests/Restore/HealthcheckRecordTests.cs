using VmBackup.Core.Restore;

namespace VmBackup.Core.Tests.Restore;

public sealed class HealthcheckRecordTests
{
    [Fact]
    public void Format_ThenParse_RoundTrips_AndKeepsOneLinePerKey()
    {
        var record = new HealthcheckRecord(
            new DateTimeOffset(2025, 3, 1, 2, 10, 44, TimeSpan.Zero), false, "healthcheck-DEV-1-20250301-021044", "Local storage", 1234,
            TimeSpan.FromSeconds(12.5), TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(14.125), "XAPI NO_HOSTS_AVAILABLE\nsecond line");

        var text = record.Format();
        var parsed = HealthcheckRecord.Parse(text);

        text.ShouldContain("result=failed\n");
        text.ShouldContain("restore_seconds=12.5\n");
        parsed.ShouldBe(record with { Message = "XAPI NO_HOSTS_AVAILABLE second line" });
    }

    [Fact]
    public void Parse_RefusesAnotherFormat() =>
        Should.Throw<FormatException>(() => HealthcheckRecord.Parse("format=2\nresult=ok\n"));
}
