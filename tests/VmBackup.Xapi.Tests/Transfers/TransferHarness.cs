using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using VmBackup.Xapi.Tests.Fakes;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Xapi.Tests.Transfers;

/// <summary>
/// A fake XAPI for transfer tests: one loopback endpoint whose RPC paths are passed to a scripted <see cref="FakeXapi"/>
/// (task.create / event.from / task.cancel / task.destroy driven by <see cref="TaskStatus"/>) and whose other paths go
/// to <see cref="Data"/>, which speaks raw HTTP on the connection.
/// </summary>
internal sealed class TransferHarness : IAsyncDisposable
{
    public const string TaskRef = "OpaqueRef:transfer-task-1";

    private readonly FakeXapi _xapi;
    private readonly RawHttpServer _server;
    private readonly HttpClient _proxy = new();
    private volatile string _status = "pending";
    private string[] _errorInfo = [];
    private string _result = string.Empty;

    private TransferHarness(X509Certificate2? certificate)
    {
        _xapi = new FakeXapi(FakeScripts.Xapi(Script));
        _server = new RawHttpServer(ServeAsync, certificate);
    }

    public Func<RawExchange, Task> Data { get; set; } = e => e.WriteTextAsync(404, "Not Found", "no handler");

    public XenApiSession Session { get; private set; } = null!;

    public Uri Uri => _server.Uri;

    public IEnumerable<RawRequest> DataRequests => _server.Requests.Where(r => r.Path is not "/" and not "/jsonrpc");

    public ConcurrentQueue<Exception> HandlerErrors => _server.HandlerErrors;

    public IEnumerable<string> Methods => _xapi.Methods;

    public string TaskStatus => _status;

    public static async Task<TransferHarness> StartAsync(X509Certificate2? certificate = null, string? pin = null)
    {
        var harness = new TransferHarness(certificate);
        var options = FakeScripts.Options(XenApiProtocol.JsonRpc) with { TlsFingerprint = pin };
        harness.Session = await XenApiSession.ConnectAsync(harness.Uri, FakeScripts.User, FakeScripts.Password, options, CancellationToken.None);
        return harness;
    }

    public XenApiTransfers Transfers(XenApiTransferOptions? options = null) => new(Session, options ?? new XenApiTransferOptions { TaskCompletionTimeout = TimeSpan.FromSeconds(10) });

    public void Succeed(string result = "")
    {
        _result = result;
        _status = "success";
    }

    public void Fail(params string[] errorInfo)
    {
        _errorInfo = errorInfo;
        _status = "failure";
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await _server.DisposeAsync();
        await _xapi.DisposeAsync();
        _proxy.Dispose();
    }

    private FakeRpcResult? Script(FakeRpcCall call)
    {
        switch (call.Method)
        {
            case "task.create":
                return FakeRpcResult.Ok(TaskRef);
            case "task.cancel":
                if (_status == "pending")
                {
                    _status = "cancelled";
                }

                return FakeRpcResult.Ok(null);
            case "task.destroy":
                return FakeRpcResult.Ok(null);
            case "task.get_record":
                return FakeRpcResult.Ok(TaskSnapshot());
            case "host.get_address":
                return FakeRpcResult.Ok("127.0.0.1");
            case "event.from":
                if (_status == "pending")
                {
                    Thread.Sleep(20);
                }

                return FakeRpcResult.Ok(new Dictionary<string, object?>
                {
                    ["events"] = new[]
                    {
                        new Dictionary<string, object?> { ["id"] = "1", ["timestamp"] = "0.0", ["class"] = "task", ["operation"] = "mod", ["ref"] = TaskRef, ["snapshot"] = TaskSnapshot() },
                    },
                    ["valid_ref_counts"] = new Dictionary<string, object?> { ["task"] = 1 },
                    ["token"] = "00000000000000000001,00000000000000000001",
                });
            default:
                return null;
        }
    }

    private Dictionary<string, object?> TaskSnapshot() => new()
    {
        ["uuid"] = "task-uuid",
        ["name_label"] = "transfer",
        ["status"] = _status,
        ["progress"] = _status == "pending" ? 0.0 : 1.0,
        ["result"] = _result,
        ["error_info"] = _status == "failure" ? _errorInfo : Array.Empty<string>(),
    };

    private async Task ServeAsync(RawExchange exchange)
    {
        var request = exchange.Request;
        if (request.Method == "POST" && request.Path is "/" or "/jsonrpc")
        {
            var body = await exchange.ReadBodyAsync(request.ContentLength ?? 0);
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", request.Headers.GetValueOrDefault("Content-Type", "text/xml"));
            using var reply = await _proxy.PostAsync(new Uri(_xapi.Uri, request.Target), content);
            var text = await reply.Content.ReadAsStringAsync();
            await exchange.WriteTextAsync((int)reply.StatusCode, reply.ReasonPhrase ?? "OK", text, "Content-Type: " + reply.Content.Headers.ContentType);
            return;
        }

        await Data(exchange);
    }
}
