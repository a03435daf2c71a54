using VmBackup.Xapi.Tls;

namespace VmBackup.Xapi.Tests.Tls;

public sealed class CertificateFingerprintTests
{
    private const string Hex = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF";

    [Theory]
    [InlineData(Hex)]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    [InlineData("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff")]
    public void Parse_AcceptsColonAndPlainHexCaseInsensitive(string pin)
    {
        CertificateFingerprint.Parse(pin).ShouldBe(Convert.FromHexString(Hex));
    }

    [Theory]
    [InlineData("00:11")]
    [InlineData("ZZ112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")]
    public void Parse_RejectsWrongLengthOrNonHex(string pin)
    {
        Should.Throw<ArgumentException>(() => CertificateFingerprint.Parse(pin)).Message.ShouldContain("SHA-256");
    }

    [Fact]
    public void ParseList_SplitsOnCommas()
    {
        CertificateFingerprint.ParseList(Hex + ", " + Hex.ToLowerInvariant()).Count.ShouldBe(2);
    }

    [Fact]
    public void Format_IsColonSeparatedUpperCase()
    {
        CertificateFingerprint.Format(new byte[] { 0xab, 0x01, 0xff }).ShouldBe("AB:01:FF");
    }
}
