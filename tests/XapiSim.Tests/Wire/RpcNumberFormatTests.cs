using System.Text;

namespace XapiSim.Tests.Wire;

public sealed class RpcNumberFormatTests
{
    [Theory]
    [InlineData("0.1", "0.1", "0.1")]
    [InlineData("1", "1", "1.0")]
    [InlineData("-2", "-2", "-2.0")]
    [InlineData("1e-05", "1e-05", "1e-05")]
    [InlineData("1e20", "1e+20", "1e+20")]
    [InlineData("0.333333333333333314829616256247", "0.3333333333333333", "0.3333333333333333")]
    [InlineData("0.30000000000000004", "0.3", "0.30000000000000004")]
    [InlineData("1732012345.25", "1732012345.25", "1732012345.25")]
    [InlineData("NaN", "nan", "NaN")]
    [InlineData("Infinity", "inf", "Infinity")]
    public async Task Doubles_AreWrittenLikeOcaml(string input, string xml, string json)
    {
        await using var server = await WireServer.StartAsync();
        using var client = server.CreateClient();

        using var xmlContent = new StringContent(
            $"<methodCall><methodName>test.double</methodName><params><param><value>{input}</value></param></params></methodCall>", Encoding.UTF8, "text/xml");
        using var xmlResponse = await client.PostAsync("/", xmlContent);
        using var jsonContent = new StringContent($"{{\"method\":\"test.double\",\"params\":[\"{input}\"],\"id\":1}}", Encoding.UTF8, "application/json");
        using var jsonResponse = await client.PostAsync("/jsonrpc", jsonContent);

        (await xmlResponse.Content.ReadAsStringAsync()).ShouldContain($"<name>Value</name><value><double>{xml}</double></value>");
        (await jsonResponse.Content.ReadAsStringAsync()).ShouldBe($"{{\"result\":{json},\"error\":null,\"id\":1}}");
    }
}
