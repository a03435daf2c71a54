using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VmBackup.Xapi.Tests.Fakes;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Xapi.Tests.Transfers;

public sealed class TransferTlsTests : IDisposable
{
    private readonly X509Certificate2 _pinned = CreateSelfSigned("CN=master");
    private readonly X509Certificate2 _other = CreateSelfSigned("CN=member");

    public void Dispose()
    {
        _pinned.Dispose();
        _other.Dispose();
    }

    [Fact]
    public async Task Redirect_ToAHostWithThePinnedCertificate_IsFollowed()
    {
        var payload = TransferTestData.Payload(100_000);
        await using var xapi = await TransferHarness.StartAsync(_pinned, Pin(_pinned));
        await using var member = new RawHttpServer(
            async e =>
            {
                await e.WriteHeadAsync(200, "OK");
                await e.Stream.WriteAsync(payload);
                xapi.Succeed();
            },
            _pinned);
        xapi.Data = e => e.WriteTextAsync(302, "Found", string.Empty, "Location: " + new Uri(member.Uri, e.Request.Target));

        await using var export = await xapi.Transfers().ExportPoolDatabaseAsync(CancellationToken.None);

        (await TransferTestData.ReadAllAsync(export)).ShouldBe(payload);
        member.Uri.Scheme.ShouldBe("https");
    }

    [Fact]
    public async Task Redirect_ToAHostWithAnotherCertificate_IsRefused_WithoutLeakingTheSession()
    {
        await using var xapi = await TransferHarness.StartAsync(_pinned, Pin(_pinned));
        await using var member = new RawHttpServer(e => e.WriteHeadAsync(200, "OK"), _other);
        xapi.Data = e => e.WriteTextAsync(302, "Found", string.Empty, "Location: " + new Uri(member.Uri, e.Request.Target));

        var e = await Should.ThrowAsync<XenApiConnectionException>(() => xapi.Transfers(new XenApiTransferOptions { TaskCompletionTimeout = TimeSpan.FromMilliseconds(300) })
            .ExportVmAsync(new XenRef<Records.VmRecord>("OpaqueRef:vm"), XvaCompression.Gzip, CancellationToken.None));

        e.Message.ShouldContain("TLS certificate was refused");
        e.Message.ShouldNotContain(FakeScripts.SessionRef);
        e.Message.ShouldNotContain("session_id");
        e.Server!.Port.ShouldBe(member.Uri.Port);
        member.Requests.ShouldBeEmpty();
        xapi.Methods.ShouldContain("task.destroy");
    }

    private static string Pin(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 CreateSelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
