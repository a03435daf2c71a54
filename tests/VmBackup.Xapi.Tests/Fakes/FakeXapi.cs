using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace VmBackup.Xapi.Tests.Fakes;

/// <summary>
/// A scripted XAPI endpoint for client tests: decodes JSON-RPC (<c>/jsonrpc</c>) and XML-RPC (<c>/</c>) requests with
/// its own small parsers (independent of the client's codecs), hands each call to the script and encodes the answer
/// the way XAPI does (XML-RPC: Status/Value envelope, int64 as bare strings; JSON-RPC v2 or v1 errors).
/// </summary>
internal sealed class FakeXapi : IAsyncDisposable
{
    private readonly Func<FakeRpcCall, FakeRpcResult> _script;
    private readonly FakeHttpServer _server;

    public FakeXapi(Func<FakeRpcCall, FakeRpcResult> script, bool offerJsonRpc = true, X509Certificate2? certificate = null, IPAddress? address = null, int port = 0)
    {
        _script = script;
        OfferJsonRpc = offerJsonRpc;
        _server = new FakeHttpServer(Handle, certificate, address, port);
    }

    public bool OfferJsonRpc { get; }

    /// <summary>Answer JSON-RPC errors in the v1 array form instead of the v2 object form.</summary>
    public bool JsonV1Errors { get; init; }

    public List<FakeRpcCall> Calls { get; } = [];

    public IEnumerable<FakeHttpRequest> HttpRequests => _server.Requests;

    public Uri Uri => _server.Uri;

    public int Port => _server.Port;

    public IEnumerable<string> Methods
    {
        get
        {
            lock (Calls)
            {
                return Calls.Select(c => c.Method).ToArray();
            }
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private FakeHttpResponse Handle(FakeHttpRequest request)
    {
        if (request.Path == "/jsonrpc")
        {
            if (!OfferJsonRpc)
            {
                // An old XAPI routes unknown POST paths to XML-RPC: the reply is text/xml, not JSON.
                return FakeHttpResponse.Text(200, "text/xml", XmlFailure("MESSAGE_METHOD_UNKNOWN", ["jsonrpc"]));
            }

            using var json = JsonDocument.Parse(request.Body);
            var root = json.RootElement;
            var call = new FakeRpcCall("json", root.GetProperty("method").GetString()!, root.GetProperty("params").EnumerateArray().Select(FromJson).ToArray(), request.BodyText);
            var result = Run(call);
            var reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(root.GetProperty("id").GetRawText()) };
            if (result.ErrorCode is null)
            {
                reply["result"] = ToJson(result.Value);
            }
            else if (JsonV1Errors)
            {
                reply.Remove("jsonrpc");
                reply["result"] = null;
                reply["error"] = new JsonArray([JsonValue.Create(result.ErrorCode), .. result.ErrorParameters.Select(p => (JsonNode?)JsonValue.Create(p))]);
            }
            else
            {
                reply["error"] = new JsonObject
                {
                    ["code"] = 1,
                    ["message"] = result.ErrorCode,
                    ["data"] = new JsonArray([.. result.ErrorParameters.Select(p => (JsonNode?)JsonValue.Create(p))]),
                };
            }

            return FakeHttpResponse.Text(200, "application/json", reply.ToJsonString());
        }

        var document = XDocument.Parse(request.BodyText);
        var method = document.Root!.Element("methodName")!.Value;
        var args = document.Root.Element("params")?.Elements("param").Select(p => FromXml(p.Element("value")!)).ToArray() ?? [];
        var xmlCall = new FakeRpcCall("xml", method, args, request.BodyText);
        var xmlResult = Run(xmlCall);
        return FakeHttpResponse.Text(200, "text/xml", xmlResult.ErrorCode is null ? XmlSuccess(xmlResult.Value) : XmlFailure(xmlResult.ErrorCode, xmlResult.ErrorParameters));
    }

    private FakeRpcResult Run(FakeRpcCall call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }

        return _script(call);
    }

    public static string XmlSuccess(object? value) =>
        "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
        + "<member><name>Status</name><value>Success</value></member>"
        + "<member><name>Value</name>" + ToXml(value) + "</member>"
        + "</struct></value></param></params></methodResponse>";

    public static string XmlFailure(string code, IReadOnlyList<string> parameters) =>
        "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
        + "<member><name>Status</name><value>Failure</value></member>"
        + "<member><name>ErrorDescription</name><value><array><data>"
        + string.Concat(new[] { code }.Concat(parameters).Select(p => "<value>" + Escape(p) + "</value>"))
        + "</data></array></value></member></struct></value></param></params></methodResponse>";

    /// <summary>XAPI's XML-RPC value encoding (reference §1.2).</summary>
    public static string ToXml(object? value) => value switch
    {
        null => "<value></value>",
        string s => "<value>" + Escape(s) + "</value>",
        int i => "<value>" + i.ToString(CultureInfo.InvariantCulture) + "</value>",
        long l => "<value>" + l.ToString(CultureInfo.InvariantCulture) + "</value>",
        bool b => "<value><boolean>" + (b ? "1" : "0") + "</boolean></value>",
        double d => "<value><double>" + d.ToString("R", CultureInfo.InvariantCulture) + "</double></value>",
        DateTime t => "<value><dateTime.iso8601>" + t.ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "</dateTime.iso8601></value>",
        IDictionary<string, object?> map => "<value><struct>" + string.Concat(map.Select(kv => "<member><name>" + Escape(kv.Key) + "</name>" + ToXml(kv.Value) + "</member>")) + "</struct></value>",
        System.Collections.IEnumerable list => "<value><array><data>" + string.Concat(list.Cast<object?>().Select(ToXml)) + "</data></array></value>",
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        DateTime t => JsonValue.Create(t.ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        IDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        System.Collections.IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(ToJson)]),
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        _ => null,
    };

    private static object? FromXml(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
        {
            return value.Value;
        }

        return typed.Name.LocalName switch
        {
            "string" => typed.Value,
            "i4" or "int" => long.Parse(typed.Value, CultureInfo.InvariantCulture),
            "boolean" => typed.Value == "1",
            "double" => double.Parse(typed.Value, CultureInfo.InvariantCulture),
            "dateTime.iso8601" => typed.Value,
            "array" => typed.Element("data")!.Elements("value").Select(FromXml).ToList(),
            "struct" => typed.Elements("member").ToDictionary(m => m.Element("name")!.Value, m => FromXml(m.Element("value")!)),
            _ => throw new NotSupportedException(typed.Name.LocalName),
        };
    }

    private static string Escape(string text) => new XText(text).ToString();
}

/// <summary>One decoded RPC as the fake received it.</summary>
internal sealed record FakeRpcCall(string Protocol, string Method, IReadOnlyList<object?> Params, string RawBody)
{
    public string Text(int index) => Convert.ToString(Params[index], CultureInfo.InvariantCulture) ?? string.Empty;
}

/// <summary>The fake's answer to one RPC.</summary>
internal sealed record FakeRpcResult(object? Value, string? ErrorCode, IReadOnlyList<string> ErrorParameters)
{
    public static FakeRpcResult Ok(object? value) => new(value, null, []);

    public static FakeRpcResult Error(string code, params string[] parameters) => new(null, code, parameters);
}
