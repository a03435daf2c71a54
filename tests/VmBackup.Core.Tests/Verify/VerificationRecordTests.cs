using VmBackup.Core.Verify;

namespace VmBackup.Core.Tests.Verify;

public sealed class VerificationRecordTests
{
    private static readonly VerificationRecord Failed = new(
        new DateTimeOffset(2025, 3, 1, 2, 10, 44, TimeSpan.Zero),
        false,
        "PROD web.xva.gz",
        "xva.gz",
        123456,
        new DateTimeOffset(2025, 3, 1, 2, 4, 12, 345, TimeSpan.Zero),
        null,
        65536,
        TimeSpan.FromSeconds(1.5),
        [
            new VerificationFailure("PROD web.xva.gz", 5243392, "checksum mismatch for chunk 'Ref:7/00000004'\nsecond line", true),
            new VerificationFailure("DISK-xvdb/vdi.cfg", null, "missing"),
        ]);

    [Fact]
    public void Format_WritesOneKeyValueLinePerField_AndFailuresByNumber()
    {
        var text = Failed.Format();

        text.ShouldStartWith("# vmbackup verification record");
        text.ShouldContain("\nformat=1\ndate=2025-03-01T02:10:44.0000000+00:00\nresult=failed\nfile=PROD web.xva.gz\nkind=xva.gz\nsize=123456\n");
        text.ShouldContain("\nbytes=65536\nseconds=1.5\n");
        text.ShouldNotContain("sha256=");
        text.ShouldContain("\nfailure.1.file=PROD web.xva.gz\nfailure.1.offset=5243392\nfailure.1.offset_kind=uncompressed\nfailure.1.message=checksum mismatch for chunk 'Ref:7/00000004' second line\n");
        text.ShouldContain("\nfailure.2.file=DISK-xvdb/vdi.cfg\nfailure.2.message=missing\n");
    }

    [Fact]
    public void Parse_ReadsWhatFormatWrote()
    {
        var parsed = VerificationRecord.Parse(Failed.Format());

        parsed.Date.ShouldBe(Failed.Date);
        parsed.Ok.ShouldBeFalse();
        parsed.DataFileName.ShouldBe("PROD web.xva.gz");
        parsed.DataFileSize.ShouldBe(123456);
        parsed.DataFileModifiedUtc.ShouldBe(Failed.DataFileModifiedUtc);
        parsed.Sha256.ShouldBeNull();
        parsed.Duration.ShouldBe(TimeSpan.FromSeconds(1.5));
        parsed.Failures.Count.ShouldBe(2);
        parsed.Failures[0].ShouldBe(Failed.Failures[0] with { Message = "checksum mismatch for chunk 'Ref:7/00000004' second line" });
        parsed.Failures[1].ShouldBe(Failed.Failures[1]);
    }

    [Theory]
    [InlineData("result=ok\ndate=2025-03-01T02:10:44.0000000+00:00\n", "missing 'format='")]
    [InlineData("format=2\nresult=ok\n", "unsupported format=2")]
    [InlineData("format=1\nresult=maybe\n", "result=maybe")]
    [InlineData("format=1\nresult=ok\ndate=yesterday\n", "'date=yesterday'")]
    [InlineData("format=1\nnonsense\n", "line 2")]
    public void Parse_RefusesWhatIsNotARecord(string text, string message)
    {
        Should.Throw<FormatException>(() => VerificationRecord.Parse(text)).Message.ShouldContain(message);
    }

    [Fact]
    public void FailureText_NamesFileAndOffset()
    {
        Failed.Failures[0].ToString().ShouldStartWith("PROD web.xva.gz at uncompressed offset 5243392: checksum mismatch");
        Failed.Failures[1].ToString().ShouldBe("DISK-xvdb/vdi.cfg: missing");
        new VerificationFailure("a.vhd", 512, "bad").ToString().ShouldBe("a.vhd at offset 512: bad");
    }
}
