using System.Text;
using XapiSim.Http;

namespace XapiSim.Tests.Wire;

public sealed class HttpServerTests
{
    private const string VoidCall = "<?xml version=\"1.0\"?><methodCall><methodName>test.void</methodName><params></params></methodCall>";

    [Fact]
    public async Task Http11_KeepsTheConnectionAlive_ForTwoRequests()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", VoidCall);
        var first = connection.ReadResponse();
        connection.Post("/", VoidCall);
        var second = connection.ReadResponse();

        first.Header("connection").ShouldBe("keep-alive");
        first.Header("cache-control").ShouldBe("no-cache, no-store");
        second.StatusLine.ShouldBe("HTTP/1.1 200 OK");
        server.Dispatcher.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task RpcResponseHead_IsLaidOutAsXapiDoes()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", VoidCall);
        var response = connection.ReadResponse();

        response.Head.ShouldBe(
            "HTTP/1.1 200 OK\r\ncontent-length: " + response.Body.Length + "\r\nconnection: keep-alive\r\ncache-control: no-cache, no-store\r\n"
            + "content-type: text/xml\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: X-Requested-With\r\n\r\n");
    }

    [Fact]
    public async Task ConnectionClose_IsHonoured()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Post("/", VoidCall, extraHeaders: "Connection: close\r\n");
        var response = connection.ReadResponse();

        response.Header("connection").ShouldBe("close");
        connection.IsClosedByServer().ShouldBeTrue();
    }

    [Fact]
    public async Task Http10_ClosesUnlessKeepAliveIsRequested_AndAnswersHttp10()
    {
        await using var server = await WireServer.StartAsync();
        using (var plain = server.Connect())
        {
            plain.Post("/", VoidCall, version: "1.0");
            var response = plain.ReadResponse();

            response.StatusLine.ShouldBe("HTTP/1.0 200 OK");
            response.Header("connection").ShouldBe("close");
            plain.IsClosedByServer().ShouldBeTrue();
        }

        using var keepAlive = server.Connect();
        keepAlive.Post("/", VoidCall, version: "1.0", extraHeaders: "Connection: keep-alive\r\n");
        keepAlive.ReadResponse().Header("connection").ShouldBe("keep-alive");
        keepAlive.Post("/", VoidCall, version: "1.0", extraHeaders: "Connection: keep-alive\r\n");
        keepAlive.ReadResponse().StatusLine.ShouldBe("HTTP/1.0 200 OK");
    }

    [Fact]
    public async Task PutHandler_SendsHeadersBeforeReadingTheBody_ForAClientThatWaitsForThem()
    {
        var received = new TaskCompletionSource<(string Body, bool Chunked, long? Length)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("PUT", "/import_raw_vdi", async (exchange, ct) =>
        {
            exchange.ResponseHeaders.Add("Connection", "close");
            exchange.ResponseHeaders.Add("Cache-Control", "no-cache, no-store");
            exchange.ResponseHeaders.Add("task-id", "OpaqueRef:task");
            exchange.CloseConnection = true;
            await exchange.SendHeadersAsync(ct);
            using var reader = new StreamReader(exchange.RequestBody, Encoding.UTF8);
            received.SetResult((await reader.ReadToEndAsync(ct), exchange.IsRequestChunked, exchange.RequestContentLength));
        }));
        using var connection = server.Connect();

        connection.Send("PUT /import_raw_vdi?vdi=OpaqueRef:v HTTP/1.0\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
        var head = connection.ReadHead();
        connection.Send("disk-bytes!");
        var (body, chunked, length) = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));

        head.ShouldBe("HTTP/1.0 200 OK\r\nConnection: close\r\nCache-Control: no-cache, no-store\r\ntask-id: OpaqueRef:task\r\n\r\n");
        body.ShouldBe("disk-bytes!");
        chunked.ShouldBeFalse();
        length.ShouldBe(11);
        connection.IsClosedByServer().ShouldBeTrue();
    }

    [Fact]
    public async Task CloseDelimitedBody_HasNoContentLength_AndEndsWithTheConnection()
    {
        var payload = Enumerable.Range(0, 3 * 1024 * 1024 + 17).Select(i => (byte)(i * 7)).ToArray();
        await using var server = await WireServer.StartAsync(configure: router => router.Map("GET", "/export", async (exchange, ct) =>
        {
            exchange.ResponseVersion = "1.0";
            exchange.ResponseHeaders.Add("Connection", "close");
            exchange.ResponseHeaders.Add("content-type", "application/octet-stream");
            for (var offset = 0; offset < payload.Length; offset += 1024 * 1024)
            {
                await exchange.ResponseBody.WriteAsync(payload.AsMemory(offset, Math.Min(1024 * 1024, payload.Length - offset)), ct);
            }
        }));
        using var connection = server.Connect();

        connection.Send("GET /export?ref=OpaqueRef:vm HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.0 200 OK");
        response.Header("content-length").ShouldBeNull();
        response.Body.Length.ShouldBe(payload.Length);
        response.Body.AsSpan().SequenceEqual(payload).ShouldBeTrue();
    }

    [Fact]
    public async Task Routing_UsesTheLongestPrefix_AndXapisAnswersForUnmatchedRequests()
    {
        static Func<HttpExchange, CancellationToken, ValueTask> Named(string name) =>
            (exchange, ct) => exchange.WriteResponseAsync(Encoding.ASCII.GetBytes(name + " " + exchange.Path), ct);
        await using var server = await WireServer.StartAsync(configure: router =>
        {
            router.Map("GET", "/export", Named("export"));
            router.Map("GET", "/export_raw_vdi", Named("raw"));
            router.Map("PUT", "/import", Named("import"));
        });
        using var client = server.CreateClient();

        (await client.GetStringAsync("/export_raw_vdi/?vdi=x")).ShouldBe("raw /export_raw_vdi/");
        (await client.GetStringAsync("/export?ref=x")).ShouldBe("export /export");
        (await client.GetStringAsync("/export_metadata")).ShouldBe("export /export_metadata");
        using var import = await client.PutAsync("/import/?sr_id=x", new ByteArrayContent([1]));
        (await import.Content.ReadAsStringAsync()).ShouldBe("import /import/");
        using var missing = await client.GetAsync("/nothing-here");
        ((int)missing.StatusCode).ShouldBe(404);
        using var forbidden = await client.PutAsync("/nothing-here", new ByteArrayContent([1]));
        ((int)forbidden.StatusCode).ShouldBe(403);
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/");
        using var notImplemented = await client.SendAsync(request);
        ((int)notImplemented.StatusCode).ShouldBe(501);
    }

    [Fact]
    public async Task Exchange_DecodesQueryAndCookies_CookieFirst()
    {
        var seen = new TaskCompletionSource<HttpExchange>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("GET", "/probe", (exchange, ct) =>
        {
            seen.SetResult(exchange);
            return exchange.WriteResponseAsync(Encoding.ASCII.GetBytes("ok"), ct);
        }));
        using var connection = server.Connect();

        connection.Send("GET /probe?session_id=OpaqueRef%3Aquery&task_id=OpaqueRef:t&name=a+b%20c&flag HTTP/1.1\r\nHost: x\r\n"
            + "Cookie: session_id=OpaqueRef%3Acookie; other=1\r\nAuthorization: Basic cm9vdDpzM2NyM3Q=\r\nX-Custom: v\r\n\r\n");
        connection.ReadResponse();
        var exchange = await seen.Task;

        exchange.Method.ShouldBe("GET");
        exchange.Path.ShouldBe("/probe");
        exchange.RawTarget.ShouldBe("/probe?session_id=OpaqueRef%3Aquery&task_id=OpaqueRef:t&name=a+b%20c&flag");
        exchange.GetParameter("session_id").ShouldBe("OpaqueRef:cookie");
        exchange.GetQueryValue("session_id").ShouldBe("OpaqueRef:query");
        exchange.GetParameter("task_id").ShouldBe("OpaqueRef:t");
        exchange.GetQueryValue("name").ShouldBe("a b c");
        exchange.GetQueryValue("flag").ShouldBe(string.Empty);
        exchange.GetCookie("other").ShouldBe("1");
        exchange.RequestHeaders["x-custom"].ShouldBe("v");
        exchange.TryGetBasicCredentials(out var user, out var password).ShouldBeTrue();
        (user, password).ShouldBe(("root", "s3cr3t"));
        exchange.IsTls.ShouldBeFalse();
        exchange.RemoteEndPoint!.Address.ToString().ShouldBe("127.0.0.1");
        exchange.LocalEndPoint!.Port.ShouldBe(server.Port);
    }

    [Fact]
    public async Task ChunkedRpcPost_IsDecoded_AndTheExchangeSaysItWasChunked()
    {
        var chunked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("PUT", "/import", (exchange, ct) =>
        {
            chunked.SetResult(exchange.IsRequestChunked);
            return exchange.RespondForbiddenAsync(ct);
        }));
        using var connection = server.Connect();
        var body = Encoding.ASCII.GetBytes(VoidCall);

        connection.Send($"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{10:x}\r\n");
        connection.Send(body[..10]);
        connection.Send($"\r\n{body.Length - 10:x};ext=1\r\n");
        connection.Send(body[10..]);
        connection.Send("\r\n0\r\n\r\n");
        var rpc = connection.ReadResponse();
        connection.Send("PUT /import HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        var import = connection.ReadResponse();

        rpc.BodyText.ShouldContain("<value>Success</value>");
        server.Dispatcher.Calls.Single().Method.ShouldBe("test.void");
        (await chunked.Task).ShouldBeTrue();
        import.StatusLine.ShouldBe("HTTP/1.1 403 Forbidden");
    }

    [Fact]
    public async Task OversizedHead_Gets431()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Send("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 1100) + "\r\n\r\n");
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 431 Request Header Fields Too Large");
        connection.IsClosedByServer().ShouldBeTrue();
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 extra\r\n\r\n")]
    [InlineData("GET / FTP/1.0\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n")]
    public async Task MalformedHead_GetsTheHtml500_AndOtherClientsAreUnaffected(string request)
    {
        await using var server = await WireServer.StartAsync();
        using var healthy = server.Connect();
        using var broken = server.Connect();

        broken.Send(request);
        var response = broken.ReadResponse();
        healthy.Post("/", VoidCall);

        response.StatusLine.ShouldBe("HTTP/1.1 500 Internal Error");
        response.BodyText.ShouldContain("The HTTP headers could not be parsed.");
        healthy.ReadResponse().StatusLine.ShouldBe("HTTP/1.1 200 OK");
    }

    [Fact]
    public async Task ClientDisconnectingMidRequest_DoesNotHurtTheServer()
    {
        await using var server = await WireServer.StartAsync();
        using (var quitter = server.Connect())
        {
            quitter.Send("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n<methodCall>");
        }

        using var connection = server.Connect();
        connection.Post("/", VoidCall);
        connection.ReadResponse().StatusLine.ShouldBe("HTTP/1.1 200 OK");
    }

    [Fact]
    public async Task HandlerException_BeforeHeaders_GetsTheHtml500()
    {
        await using var server = await WireServer.StartAsync(configure: router =>
            router.Map("GET", "/boom", (_, _) => throw new InvalidOperationException("<bad>")));
        using var connection = server.Connect();

        connection.Send("GET /boom HTTP/1.1\r\n\r\n");
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 500 Internal Error");
        response.BodyText.ShouldContain("System.InvalidOperationException: &lt;bad&gt;");
    }

    [Fact]
    public async Task ErrorHelpers_WriteXapisPages()
    {
        await using var server = await WireServer.StartAsync(configure: router =>
        {
            router.Map("GET", "/auth", (exchange, ct) => exchange.RespondUnauthorizedAsync("xapi", ct));
            router.Map("GET", "/elsewhere", (exchange, ct) => exchange.RespondRedirectAsync("https://10.0.0.2/elsewhere?x=1", ct));
        });
        using (var connection = server.Connect())
        {
            connection.Send("GET /auth HTTP/1.1\r\n\r\n");
            var response = connection.ReadResponse();

            response.StatusLine.ShouldBe("HTTP/1.1 401 Unauthorised");
            response.Header("WWW-Authenticate").ShouldBe("Basic realm=\"xapi\"");
            response.Header("content-type").ShouldBe("text/html");
            response.BodyText.ShouldBe("<html><body><h1>HTTP 401 unauthorised</h1>Please check your credentials and retry.</body></html>");
        }

        using var redirect = server.Connect();
        redirect.Send("GET /elsewhere HTTP/1.1\r\n\r\n");
        var moved = redirect.ReadResponse();

        moved.Head.ShouldBe("HTTP/1.1 302 Found\r\nConnection: close\r\nCache-Control: no-cache, no-store\r\nLocation: https://10.0.0.2/elsewhere?x=1\r\n\r\n");
        moved.Body.ShouldBeEmpty();
    }

    [Fact]
    public async Task OptionsPreflight_AnswersWithCorsHeaders()
    {
        await using var server = await WireServer.StartAsync();
        using var connection = server.Connect();

        connection.Send("OPTIONS /jsonrpc HTTP/1.1\r\nAccess-Control-Request-Headers: content-type\r\n\r\n");
        var response = connection.ReadResponse();

        response.StatusLine.ShouldBe("HTTP/1.1 200 OK");
        response.Header("content-length").ShouldBe("0");
        response.Header("Access-Control-Allow-Origin").ShouldBe("*");
        response.Header("Access-Control-Allow-Headers").ShouldBe("content-type, X-Requested-With");
        response.Header("Access-Control-Allow-Methods").ShouldBe("PUT");
    }

    [Fact]
    public async Task ConcurrentClients_AreServedInParallel()
    {
        await using var server = await WireServer.StartAsync();
        using var client = server.CreateClient();

        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            using var content = new StringContent($"{{\"method\":\"test.slow\",\"params\":[],\"id\":{i}}}", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/jsonrpc", content);
            return await response.Content.ReadAsStringAsync();
        }));

        replies.Select((reply, i) => reply == $"{{\"result\":\"slow\",\"error\":null,\"id\":{i}}}").ShouldAllBe(ok => ok);
    }

    [Fact]
    public async Task Dispose_ClosesIdleKeepAliveConnections()
    {
        var server = await WireServer.StartAsync();
        using var connection = server.Connect();
        connection.Post("/", VoidCall);
        connection.ReadResponse();

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        connection.IsClosedByServer().ShouldBeTrue();
        server.Server.OpenConnections.ShouldBe(0);
    }

    [Fact]
    public async Task HandlerCrash_AfterHeaders_DropsOnlyThatConnection_AndDisposeStillSucceeds()
    {
        var server = await WireServer.StartAsync(configure: router => router.Map("GET", "/half", async (exchange, ct) =>
        {
            exchange.ResponseContentLength = 10;
            await exchange.ResponseBody.WriteAsync("12345"u8.ToArray(), ct);
            throw new NullReferenceException("bug");
        }));
        using (var connection = server.Connect())
        {
            connection.Send("GET /half HTTP/1.1\r\n\r\n");
            Should.Throw<EndOfStreamException>(() => connection.ReadResponse()).Message.ShouldBe("Connection closed inside the body.");
        }

        using (var next = server.Connect())
        {
            next.Post("/", VoidCall);
            next.ReadResponse().StatusLine.ShouldBe("HTTP/1.1 200 OK");
        }

        await server.DisposeAsync();
        server.Server.OpenConnections.ShouldBe(0);
    }

    [Fact]
    public async Task UploadEndingBeforeItsContentLength_IsReportedIncomplete()
    {
        var seen = new TaskCompletionSource<(long Bytes, bool Incomplete)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("PUT", "/import", async (exchange, ct) =>
        {
            exchange.CloseConnection = true;
            await exchange.SendHeadersAsync(ct);
            var buffer = new byte[4096];
            while (await exchange.RequestBody.ReadAsync(buffer, ct) > 0)
            {
            }

            seen.SetResult((exchange.RequestBodyBytesRead, exchange.RequestBodyIncomplete));
        }));
        using (var connection = server.Connect())
        {
            connection.Send("PUT /import HTTP/1.1\r\ncontent-length: 1125899906842624\r\n\r\n");
            connection.ReadHead();
            connection.Send(new byte[10_000]);
        }

        var (bytes, incomplete) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(20));
        bytes.ShouldBe(10_000);
        incomplete.ShouldBeTrue();
    }

    [Fact]
    public async Task WritingPastTheContentLength_Throws()
    {
        var failure = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("GET", "/short", async (exchange, ct) =>
        {
            exchange.ResponseContentLength = 2;
            await exchange.ResponseBody.WriteAsync("ok"u8.ToArray(), ct);
            try
            {
                await exchange.ResponseBody.WriteAsync("!"u8.ToArray(), ct);
                failure.SetResult(null);
            }
            catch (InvalidOperationException e)
            {
                failure.SetResult(e);
            }
        }));
        using var connection = server.Connect();

        connection.Send("GET /short HTTP/1.1\r\n\r\n");
        var response = connection.ReadResponse();

        response.BodyText.ShouldBe("ok");
        (await failure.Task).ShouldBeOfType<InvalidOperationException>();
    }
}
