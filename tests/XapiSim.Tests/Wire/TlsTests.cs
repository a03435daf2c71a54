using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using XapiSim.Http;

namespace XapiSim.Tests.Wire;

public sealed class TlsTests
{
    [Fact]
    public void SelfSignedCertificate_HasTheHostNameLoopbackSanAndAPrivateKey()
    {
        using var certificate = SelfSignedCertificate.Create("xs1.example.org");

        certificate.Subject.ShouldBe("CN=xs1.example.org");
        certificate.HasPrivateKey.ShouldBeTrue();
        certificate.NotBefore.ToUniversalTime().ShouldBeLessThan(DateTime.UtcNow.AddHours(-23));
        certificate.NotAfter.ToUniversalTime().ShouldBeGreaterThan(DateTime.UtcNow.AddYears(9));
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        san.EnumerateDnsNames().ShouldBe(["xs1.example.org"]);
        san.EnumerateIPAddresses().Select(a => a.ToString()).ShouldBe(["127.0.0.1"]);
    }

    [Fact]
    public void Fingerprint_IsColonSeparatedUpperCaseSha256OfTheDer()
    {
        using var certificate = SelfSignedCertificate.Create("host");

        var fingerprint = SelfSignedCertificate.Sha256Fingerprint(certificate);

        Regex.IsMatch(fingerprint, "^([0-9A-F]{2}:){31}[0-9A-F]{2}$").ShouldBeTrue(fingerprint);
        fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ShouldBe(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task HttpClient_PinningTheFingerprint_TalksJsonRpcOverTls()
    {
        using var certificate = SelfSignedCertificate.Create("xs1.example.org");
        var pinned = SelfSignedCertificate.Sha256Fingerprint(certificate);
        await using var server = await WireServer.StartAsync(certificate);
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
            {
                seen = presented is null ? null : SelfSignedCertificate.Sha256Fingerprint(presented);
                return seen == pinned;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };

        using var content = new StringContent("{\"method\":\"test.echo\",\"params\":[\"tls\"],\"id\":1}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/jsonrpc", content);

        server.BaseUri.Scheme.ShouldBe("https");
        seen.ShouldBe(pinned);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"result\":[\"tls\"],\"error\":null,\"id\":1}");
    }

    [Fact]
    public async Task TlsExchange_KnowsItIsTls_AndAPlainTextClientDoesNotHurtTheServer()
    {
        using var certificate = SelfSignedCertificate.Create("host");
        var isTls = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(certificate, router => router.Map("GET", "/probe", (exchange, ct) =>
        {
            isTls.TrySetResult(exchange.IsTls);
            return exchange.WriteResponseAsync("ok"u8.ToArray(), ct);
        }));
        using (var plain = server.Connect())
        {
            plain.Send("GET /probe HTTP/1.1\r\n\r\n");
            plain.IsClosedByServer().ShouldBeTrue();
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "host" });
        await tls.WriteAsync("GET /probe HTTP/1.1\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(tls, Encoding.ASCII);
        var text = await reader.ReadToEndAsync();

        text.ShouldStartWith("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n");
        text.ShouldEndWith("\r\n\r\nok");
        (await isTls.Task).ShouldBeTrue();
    }
}
