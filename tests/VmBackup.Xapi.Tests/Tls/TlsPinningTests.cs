using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VmBackup.Xapi.Tests.Fakes;

namespace VmBackup.Xapi.Tests.Tls;

public sealed class TlsPinningTests : IDisposable
{
    private readonly X509Certificate2 _certificate = CreateSelfSigned();

    public void Dispose() => _certificate.Dispose();

    private string Fingerprint => Convert.ToHexString(SHA256.HashData(_certificate.RawData));

    private string ColonFingerprint => string.Join(':', Enumerable.Range(0, 32).Select(i => Fingerprint.Substring(i * 2, 2)));

    [Fact]
    public async Task SelfSigned_WithoutPin_IsRefused_NamingHostAndFingerprint()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);

        var e = await Should.ThrowAsync<XenApiConnectionException>(() => ConnectAsync(xapi, new XenApiClientOptions()));

        e.Message.ShouldContain("https://127.0.0.1:" + xapi.Port);
        e.Message.ShouldContain("not trusted");
        e.Message.ShouldContain("--tls-fingerprint");
        e.Message.ShouldContain(ColonFingerprint);
        e.PresentedCertificateFingerprint.ShouldBe(ColonFingerprint);
        xapi.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task RightPin_ColonForm_IsAccepted()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);

        await using var session = await ConnectAsync(xapi, new XenApiClientOptions { TlsFingerprint = ColonFingerprint });

        session.SessionId.ShouldBe(FakeScripts.SessionRef);
    }

    [Fact]
    public async Task RightPin_PlainLowerCaseHex_IsAccepted()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);

        await using var session = await ConnectAsync(xapi, new XenApiClientOptions { TlsFingerprint = Fingerprint.ToLowerInvariant() });

        session.IsLoggedIn.ShouldBeTrue();
    }

    [Fact]
    public async Task WrongPin_IsRefused_WithClearMessage()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);
        var wrong = new string('A', 64);

        var e = await Should.ThrowAsync<XenApiConnectionException>(() => ConnectAsync(xapi, new XenApiClientOptions { TlsFingerprint = wrong }));

        e.Message.ShouldContain("does not match the pinned fingerprint");
        e.Message.ShouldContain(ColonFingerprint);
        e.Message.ShouldContain("127.0.0.1:" + xapi.Port);
        xapi.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task AllowInsecure_AcceptsAnyCertificate()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);

        await using var session = await ConnectAsync(xapi, new XenApiClientOptions { AllowInsecure = true });

        session.ServerUri.Scheme.ShouldBe("https");
        xapi.Methods.ShouldContain("session.login_with_password");
    }

    [Fact]
    public void MalformedPin_IsRejectedBeforeConnecting()
    {
        var e = Should.Throw<ArgumentException>(() =>
            XenApiSession.ConnectAsync(new Uri("https://127.0.0.1:1/"), "root", "x", new XenApiClientOptions { TlsFingerprint = "AB:CD" }, CancellationToken.None));

        e.Message.ShouldContain("SHA-256");
    }

    [Fact]
    public async Task TransferHandler_CarriesThePinPolicy()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), certificate: _certificate);
        await using var session = await ConnectAsync(xapi, new XenApiClientOptions { TlsFingerprint = Fingerprint });

        using var handler = session.CreateHttpHandler();
        using var client = new HttpClient(handler);
        using var content = new StringContent("{\"jsonrpc\":\"2.0\",\"method\":\"session.logout\",\"params\":[\"x\"],\"id\":1}");
        using var response = await client.PostAsync(new Uri(xapi.Uri, "jsonrpc"), content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static Task<XenApiSession> ConnectAsync(FakeXapi xapi, XenApiClientOptions options) =>
        XenApiSession.ConnectAsync(xapi.Uri, FakeScripts.User, FakeScripts.Password, options with { CallTimeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=xapi-fake", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
