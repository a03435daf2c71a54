using System.Text;
using XapiSim.Rpc;

namespace XapiSim.Tests.Wire;

public sealed class JsonRpcWireTests
{
    private const string AllTypesJson =
        "{\"string\":\"a<b>&\\\"c'\\u0001d\\te\",\"ref\":\"OpaqueRef:0b7c1c2e-5c1c-4d8e-9a7b-2f4d0c1e9a11\","
        + "\"int64\":9007199254740993,\"int32\":42,\"bool_true\":true,\"bool_false\":false,\"double\":0.1,\"double_integral\":2.0,"
        + "\"datetime\":\"20240229T13:05:09Z\",\"set\":[\"x\",1],\"empty_set\":[],\"map\":{\"k&\":\"v\"},\"void\":\"\"}";

    private static async Task<(HttpResponseMessage Response, string Body)> PostAsync(WireServer server, string json, string path = "/jsonrpc")
    {
        using var client = server.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(path, content);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V1_AllTypes_AreEncodedExactly_WithExactContentType()
    {
        await using var server = await WireServer.StartAsync();

        var (response, body) = await PostAsync(server, "{\"method\":\"test.all_types\",\"params\":[],\"id\":7}");

        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        body.ShouldBe("{\"result\":" + AllTypesJson + ",\"error\":null,\"id\":7}");
        server.Dispatcher.Calls.Single().Context.Protocol.ShouldBe(RpcProtocol.JsonRpcV1);
    }

    [Fact]
    public async Task V2_AllTypes_AreEncodedExactly_AndAStringIdIsEchoed()
    {
        await using var server = await WireServer.StartAsync();

        var (_, body) = await PostAsync(server, "{\"jsonrpc\":\"2.0\",\"method\":\"test.all_types\",\"params\":[],\"id\":\"abc\"}");

        body.ShouldBe("{\"jsonrpc\":\"2.0\",\"result\":" + AllTypesJson + ",\"id\":\"abc\"}");
        server.Dispatcher.Calls.Single().Context.Protocol.ShouldBe(RpcProtocol.JsonRpcV2);
    }

    [Fact]
    public async Task Failures_HaveTheV1AndV2Shapes()
    {
        await using var server = await WireServer.StartAsync();

        var (v1Response, v1) = await PostAsync(server, "{\"method\":\"test.fail\",\"params\":[\"OpaqueRef:s\"],\"id\":1}");
        var (_, v2) = await PostAsync(server, "{\"jsonrpc\":\"2.0\",\"method\":\"test.fail\",\"params\":[\"OpaqueRef:s\"],\"id\":2}");

        v1Response.IsSuccessStatusCode.ShouldBeTrue();
        v1.ShouldBe("{\"result\":null,\"error\":[\"HANDLE_INVALID\",\"VM\",\"OpaqueRef:bad\"],\"id\":1}");
        v2.ShouldBe("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"HANDLE_INVALID\",\"data\":[\"VM\",\"OpaqueRef:bad\"]},\"id\":2}");
    }

    [Fact]
    public async Task VoidResult_IsTheEmptyString_AsXapiMarshalsIt()
    {
        await using var server = await WireServer.StartAsync();

        var (_, body) = await PostAsync(server, "{\"jsonrpc\":\"2.0\",\"method\":\"test.void\",\"id\":3}");

        body.ShouldBe("{\"jsonrpc\":\"2.0\",\"result\":\"\",\"id\":3}");
    }

    [Fact]
    public async Task Values_AreDecodedToTheSeamTypes()
    {
        await using var server = await WireServer.StartAsync();

        var (_, body) = await PostAsync(
            server,
            "{\"method\":\"test.echo\",\"params\":[1,-2,1.5,1e3,\"s\",true,null,[1,\"a\"],{\"z\":1,\"a\":2}],\"id\":9}");

        var args = server.Dispatcher.Calls.Single().Args;
        args[0].ShouldBe(1L);
        args[1].ShouldBe(-2L);
        args[2].ShouldBe(1.5);
        args[3].ShouldBe(1000.0);
        args[4].ShouldBe("s");
        args[5].ShouldBe(true);
        args[6].ShouldBeSameAs(RpcNil.Instance);
        args[7].ShouldBeAssignableTo<IReadOnlyList<object>>()!.ShouldBe([1L, "a"]);
        args[8].ShouldBeAssignableTo<IReadOnlyDictionary<string, object>>()!.Keys.ShouldBe(["z", "a"]);
        body.ShouldBe("{\"result\":[1,-2,1.5,1000.0,\"s\",true,null,[1,\"a\"],{\"z\":1,\"a\":2}],\"error\":null,\"id\":9}");
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":{\"a\":1},\"id\":1}", 1)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"params\":null,\"id\":1}", 0)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\",\"id\":1}", 0)]
    public async Task V2Params_MayBeAnObjectNullOrOmitted(string request, int expectedArgs)
    {
        await using var server = await WireServer.StartAsync();

        var (response, _) = await PostAsync(server, request);

        response.IsSuccessStatusCode.ShouldBeTrue();
        server.Dispatcher.Calls.Single().Args.Count.ShouldBe(expectedArgs);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"test.void\",\"params\":[],\"id\":1}")]
    [InlineData("{\"jsonrpc\":2,\"method\":\"test.void\",\"params\":[],\"id\":1}")]
    [InlineData("{\"method\":\"test.void\",\"params\":[]}")]
    [InlineData("{\"method\":\"test.void\",\"params\":[],\"id\":null}")]
    [InlineData("{\"method\":\"test.void\",\"params\":[],\"id\":1.5}")]
    [InlineData("{\"method\":\"test.void\",\"id\":1}")]
    [InlineData("{\"method\":\"test.void\",\"params\":{},\"id\":1}")]
    [InlineData("{\"method\":5,\"params\":[],\"id\":1}")]
    [InlineData("[1,2]")]
    [InlineData("{\"method\":")]
    public async Task InvalidRequests_GetTheHtml500Page_AndTheServerKeepsServing(string request)
    {
        await using var server = await WireServer.StartAsync();

        var (response, body) = await PostAsync(server, request);
        var (after, afterBody) = await PostAsync(server, "{\"method\":\"test.void\",\"params\":[],\"id\":1}");

        ((int)response.StatusCode).ShouldBe(500);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        body.ShouldStartWith("<html><body><h1>HTTP 500 internal server error</h1>");
        server.Dispatcher.Calls.Count.ShouldBe(1);
        after.IsSuccessStatusCode.ShouldBeTrue();
        afterBody.ShouldBe("{\"result\":\"\",\"error\":null,\"id\":1}");
    }

    [Fact]
    public async Task LegacyJsonPath_IsJsonRpc()
    {
        await using var server = await WireServer.StartAsync();

        var (response, body) = await PostAsync(server, "{\"method\":\"test.echo\",\"params\":[\"x\"],\"id\":4}", "/json");

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
        body.ShouldBe("{\"result\":[\"x\"],\"error\":null,\"id\":4}");
    }

    [Fact]
    public async Task StringEscapes_FollowYojson()
    {
        await using var server = await WireServer.StartAsync();

        var (_, body) = await PostAsync(server, "{\"method\":\"test.echo\",\"params\":[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0002\\u007f\\u00e9\\u20ac\"],\"id\":5}");

        body.ShouldBe("{\"result\":[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0002\\u007f\u00e9\u20ac\"],\"error\":null,\"id\":5}");
    }
}
