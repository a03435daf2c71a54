using System.Globalization;
using System.Text.Json;

namespace XapiSim.Rpc;

/// <summary>
/// Decodes a JSON-RPC request with ocaml-rpc's rules (<c>Jsonrpc.version_id_and_call_of_string</c>):
/// no <c>jsonrpc</c> member is v1 and needs a <c>params</c> array; <c>"jsonrpc":"2.0"</c> is v2 with <c>params</c> omitted,
/// null, an array, or an object (one argument); any other <c>jsonrpc</c> (also <c>"1.0"</c>) is rejected; <c>method</c>
/// must be a string; <c>id</c> must be an integer or a string.
/// </summary>
/// <remarks>
/// Values: integers (no fraction, no exponent) become <c>long</c>, other numbers <c>double</c>; arrays become
/// <c>IReadOnlyList&lt;object&gt;</c>; objects <c>IReadOnlyDictionary&lt;string, object&gt;</c> in member order (first of
/// duplicate names wins); <c>null</c> becomes <see cref="RpcNil.Instance"/>. Strings stay strings, also datetimes.
/// </remarks>
internal static class JsonRpcRequestReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    public static JsonRpcRequest Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            throw new RpcMalformedRequestException("Yojson.Json_error(\"" + e.Message + "\")", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("Invalid request body");
            }

            if (!TryGetFirst(root, "method", out var methodElement))
            {
                throw Malformed("Required field method is missing");
            }

            if (methodElement.ValueKind != JsonValueKind.String)
            {
                throw Malformed("Invalid field 'method' in request body");
            }

            var protocol = RpcProtocol.JsonRpcV1;
            if (TryGetFirst(root, "jsonrpc", out var version))
            {
                protocol = version.ValueKind == JsonValueKind.String && version.GetString() == "2.0"
                    ? RpcProtocol.JsonRpcV2
                    : throw Malformed("Invalid field 'jsonrpc' in request body");
            }

            var args = ReadParams(root, protocol);
            if (!TryGetFirst(root, "id", out var idElement) || idElement.ValueKind == JsonValueKind.Null)
            {
                throw Malformed("Invalid field 'id' in request body");
            }

            object id = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString()!,
                JsonValueKind.Number when ToValue(idElement) is long integer => integer,
                _ => throw Malformed("Invalid field 'id' in request body"),
            };

            return new JsonRpcRequest(protocol, id, new RpcCall(methodElement.GetString()!, args));
        }
    }

    private static List<object> ReadParams(JsonElement root, RpcProtocol protocol)
    {
        var present = TryGetFirst(root, "params", out var parameters);
        if (protocol == RpcProtocol.JsonRpcV1)
        {
            if (!present)
            {
                throw Malformed("Required field params is missing");
            }

            return parameters.ValueKind == JsonValueKind.Array
                ? [.. parameters.EnumerateArray().Select(ToValue)]
                : throw Malformed("Invalid field 'params' in request body");
        }

        if (!present)
        {
            return [];
        }

        return parameters.ValueKind switch
        {
            JsonValueKind.Null => [],
            JsonValueKind.Array => [.. parameters.EnumerateArray().Select(ToValue)],
            JsonValueKind.Object => [ToValue(parameters)],
            _ => throw Malformed("Invalid field 'params' in request body"),
        };
    }

    private static object ToValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString()!;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") >= 0)
                {
                    return element.GetDouble();
                }

                return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? integer
                    : throw new RpcMalformedRequestException("Failure(\"Int64.of_string\")");
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return RpcNil.Instance;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(ToValue).ToList();
            case JsonValueKind.Object:
                var members = new OrderedDictionary<string, object>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    members.TryAdd(property.Name, ToValue(property.Value));
                }

                return members;
            default:
                throw Malformed("Unable to parse " + element.GetRawText());
        }
    }

    private static bool TryGetFirst(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static RpcMalformedRequestException Malformed(string message)
        => new("Jsonrpc.Malformed_method_request(\"" + message + "\")");
}
