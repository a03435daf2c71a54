using System.Text;
using XapiSim.Rpc;

namespace XapiSim.Tests.Wire;

public sealed class XmlRpcWireTests
{
    private const string Envelope = "<?xml version=\"1.0\"?><methodResponse><params><param>";
    private const string EnvelopeEnd = "</param></params></methodResponse>";
    private const string SuccessStart = Envelope + "<value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>";
    private const string SuccessEnd = "</member></struct></value>" + EnvelopeEnd;

    private static string Call(string method, params string[] values) =>
        "<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>"
        + string.Concat(values.Select(v => "<param>" + v + "</param>")) + "</params></methodCall>";

    [Fact]
    public async Task AllTypes_AreEncodedExactlyAsXapiDoes()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call("test.all_types"));
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 200 OK");
        response.Header("content-type").ShouldBe("text/xml");
        response.Header("Access-Control-Allow-Origin").ShouldBe("*");
        response.BodyText.ShouldBe(
            SuccessStart + "<value><struct>"
            + "<member><name>string</name><value>a&lt;b&gt;&amp;&quot;c'd\te</value></member>"
            + "<member><name>ref</name><value>OpaqueRef:0b7c1c2e-5c1c-4d8e-9a7b-2f4d0c1e9a11</value></member>"
            + "<member><name>int64</name><value>9007199254740993</value></member>"
            + "<member><name>int32</name><value><i4>42</i4></value></member>"
            + "<member><name>bool_true</name><value><boolean>1</boolean></value></member>"
            + "<member><name>bool_false</name><value><boolean>0</boolean></value></member>"
            + "<member><name>double</name><value><double>0.1</double></value></member>"
            + "<member><name>double_integral</name><value><double>2</double></value></member>"
            + "<member><name>datetime</name><value><dateTime.iso8601>20240229T13:05:09Z</dateTime.iso8601></value></member>"
            + "<member><name>set</name><value><array><data><value>x</value><value>1</value></data></array></value></member>"
            + "<member><name>empty_set</name><value><array><data></data></array></value></member>"
            + "<member><name>map</name><value><struct><member><name>k&amp;</name><value>v</value></member></struct></value></member>"
            + "<member><name>void</name><value></value></member>"
            + "</struct></value>" + SuccessEnd);
    }

    [Fact]
    public async Task EveryValueTag_IsDecodedToTheSeamTypes()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/RPC2", Call(
            "test.echo",
            "<value>bare text</value>",
            "<value><string>tagged</string></value>",
            "<value><i4>-5</i4></value>",
            "<value><int>6</int></value>",
            "<value><i8>9007199254740993</i8></value>",
            "<value><double>1.5</double></value>",
            "<value><boolean>1</boolean></value>",
            "<value><boolean>0</boolean></value>",
            "<value><dateTime.iso8601>20240229T13:05:09Z</dateTime.iso8601></value>",
            "<value><base64>aGVsbG8=</base64></value>",
            "<value>\n  <array><data><value>a</value><value><i4>1</i4></value></data></array>\n</value>",
            "<value><struct><member><name>k</name><value>v</value></member><member><name>n</name><value><nil/></value></member></struct></value>",
            "<value><nil/></value>",
            "<value/>",
            "<value>  </value>",
            "<value><string/></value>",
            "<value><array/></value>"));
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 200 OK");
        server.Dispatcher.Calls.TryDequeue(out var call).ShouldBeTrue();
        call.Method.ShouldBe("test.echo");
        var args = call.Args;
        args[0].ShouldBe("bare text");
        args[1].ShouldBe("tagged");
        args[2].ShouldBe(-5L);
        args[3].ShouldBe(6L);
        args[4].ShouldBe(9_007_199_254_740_993L);
        args[5].ShouldBe(1.5);
        args[6].ShouldBe(true);
        args[7].ShouldBe(false);
        args[8].ShouldBe(FakeDispatcher.Stamp);
        ((DateTime)args[8]).Kind.ShouldBe(DateTimeKind.Utc);
        args[9].ShouldBe("hello");
        args[10].ShouldBeAssignableTo<IReadOnlyList<object>>()!.ShouldBe(["a", 1L]);
        var map = args[11].ShouldBeAssignableTo<IReadOnlyDictionary<string, object>>()!;
        map.Keys.ShouldBe(["k", "n"]);
        map["k"].ShouldBe("v");
        map["n"].ShouldBeSameAs(RpcNil.Instance);
        args[12].ShouldBeSameAs(RpcNil.Instance);
        args[13].ShouldBe(string.Empty);
        args[14].ShouldBe("  ");
        args[15].ShouldBe(string.Empty);
        args[16].ShouldBeAssignableTo<IReadOnlyList<object>>()!.ShouldBeEmpty();
        response.BodyText.ShouldStartWith(SuccessStart + "<value><array><data><value>bare text</value><value>tagged</value><value>-5</value>");
        response.BodyText.ShouldContain("<value><nil/></value>");
    }

    [Fact]
    public async Task Failure_IsAStatusFailureEnvelope_NeverAFault()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call("test.fail", "<value>OpaqueRef:session</value>"));
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 200 OK");
        response.BodyText.ShouldBe(
            Envelope + "<value><struct><member><name>Status</name><value>Failure</value></member>"
            + "<member><name>ErrorDescription</name><value><array><data><value>HANDLE_INVALID</value><value>VM</value><value>OpaqueRef:bad</value></data></array></value></member>"
            + "</struct></value>" + EnvelopeEnd);
    }

    [Fact]
    public async Task VoidResult_IsAnEmptyValue()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call("test.void"));

        connection.ReadResponse().BodyText.ShouldBe(SuccessStart + "<value></value>" + SuccessEnd);
    }

    [Fact]
    public async Task ListMethods_IsTheBareArray()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call("system.listMethods"));

        connection.ReadResponse().BodyText.ShouldBe(
            Envelope + "<value><array><data><value>VM.get_all_records</value><value>session.login_with_password</value></data></array></value>" + EnvelopeEnd);
    }

    [Theory]
    [InlineData("test.crash", "InvalidOperationException: kaput")]
    [InlineData("test.unencodable", "NotSupportedException: A value of type System.Uri cannot be sent over XML-RPC.")]
    public async Task UnexpectedErrors_BecomeInternalError(string method, string message)
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call(method));

        connection.ReadResponse().BodyText.ShouldContain(
            "<name>ErrorDescription</name><value><array><data><value>INTERNAL_ERROR</value><value>" + message + "</value></data></array></value>");
    }

    [Theory]
    [InlineData("<methodCall><methodName>x</methodName><params><param><value><i4>1</i4>")]
    [InlineData("not xml at all")]
    [InlineData("<methodCall><methodName>x</methodName><params><param><value><bogus>1</bogus></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>x</methodName><params><param><value><i4>one</i4></value></param></params></methodCall>")]
    [InlineData("<methodResponse/>")]
    public async Task MalformedBody_GetsTheHtml500Page_AndTheServerKeepsServing(string body)
    {
        await using var server = await WireServer.StartAsync();
        using (var connection = server.Connect())
        {
            connection.Post("/", body);
            var response = connection.ReadResponse();

            response.StatusLine.ShouldBe("HTTP/1.1 500 Internal Error");
            response.Header("content-type").ShouldBe("text/html");
            response.Header("connection").ShouldBe("close");
            response.BodyText.ShouldStartWith("<html><body><h1>HTTP 500 internal server error</h1>");
            connection.IsClosedByServer().ShouldBeTrue();
        }

        using var next = server.Connect();
        next.Post("/", Call("test.void"));
        next.ReadResponse().StatusLine.ShouldBe("HTTP/1.1 200 OK");
    }

    [Fact]
    public async Task AnyUnmatchedPostPath_IsXmlRpc_OverHttpClient()
    {
        await using var server = await WireServer.StartAsync();
        using var client = server.CreateClient();

        using var content = new StringContent(Call("test.echo", "<value>x</value>"), Encoding.UTF8, "text/xml");
        using var response = await client.PostAsync("/xmlrpc", content);

        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/xml");
        (await response.Content.ReadAsStringAsync()).ShouldBe(SuccessStart + "<value><array><data><value>x</value></data></array></value>" + SuccessEnd);
        server.Dispatcher.Calls.Single().Context.Protocol.ShouldBe(RpcProtocol.XmlRpc);
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWithThe500Page()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", Call("test.echo", "<value>" + new string('x', 310 * 1024) + "</value>"));

        connection.ReadResponse().StatusLine.ShouldBe("HTTP/1.1 500 Internal Error");
    }
}
