using System.Text.Json;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Rpc;

/// <summary>
/// JSON-RPC as XAPI speaks it (reference §1.3). Requests are v2 (<c>"jsonrpc":"2.0"</c>, positional params, numeric
/// id). Replies are accepted in both forms: v1 (<c>error</c> is <c>[CODE, params…]</c>) and v2 (<c>error</c> is
/// <c>{code, message: CODE, data: [params]}</c>).
/// </summary>
internal static class JsonRpcCodec
{
    public const string ContentType = "application/json";

    public static byte[] EncodeRequest(string method, IReadOnlyList<object?> args, long id)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteString("method", method);
            writer.WriteStartArray("params");
            foreach (var arg in args)
            {
                WriteValue(writer, RpcArgumentWriter.Normalise(arg));
            }

            writer.WriteEndArray();
            writer.WriteNumber("id", id);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static async Task<RpcReply> DecodeResponseAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        return DecodeResponse(document.RootElement);
    }

    public static RpcReply DecodeResponse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return DecodeResponse(document.RootElement);
    }

    public static object? DecodeValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(DecodeValue).ToArray(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => DecodeValue(p.Value), StringComparer.Ordinal),
        _ => throw new InvalidDataException("Unexpected JSON value kind " + element.ValueKind + "."),
    };

    private static RpcReply DecodeResponse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("The reply is not a JSON-RPC response object.");
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            return DecodeError(error);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            throw new InvalidDataException("The JSON-RPC response has neither result nor error.");
        }

        return RpcReply.Success(DecodeValue(result));
    }

    private static RpcReply DecodeError(JsonElement error)
    {
        switch (error.ValueKind)
        {
            case JsonValueKind.Array:
                return XmlRpcCodec.ErrorFromDescription(XenValueConverter.ToArray(DecodeValue(error)));
            case JsonValueKind.String:
                return RpcReply.Failure(error.GetString()!, []);
            case JsonValueKind.Object:
                var code = error.TryGetProperty("message", out var message) ? XenValueConverter.ToText(DecodeValue(message)) : string.Empty;
                IReadOnlyList<string> parameters = [];
                if (error.TryGetProperty("data", out var data))
                {
                    parameters = data.ValueKind switch
                    {
                        JsonValueKind.Array => data.EnumerateArray().Select(e => XenValueConverter.ToText(DecodeValue(e))).ToArray(),
                        JsonValueKind.Null => [],
                        _ => [XenValueConverter.ToText(DecodeValue(data))],
                    };
                }

                return RpcReply.Failure(code.Length == 0 ? XenApiErrorCodes.InternalError : code, parameters);
            default:
                throw new InvalidDataException("Unexpected JSON-RPC error form.");
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case DateTime t:
                writer.WriteStringValue(XenDateTime.Format(t));
                break;
            case byte[] bytes:
                writer.WriteStringValue(Convert.ToBase64String(bytes));
                break;
            case List<KeyValuePair<string, object>> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case List<object> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException("Cannot encode " + value.GetType().Name + " as JSON.");
        }
    }
}
