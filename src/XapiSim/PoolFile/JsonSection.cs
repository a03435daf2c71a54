using System.Text.Json;

namespace XapiSim.PoolFile;

/// <summary>Reads one JSON object of the pool file, knowing its path, and rejects keys nobody asked for.</summary>
internal sealed class JsonSection
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonSection(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PoolFileException(path, "expected an object");
        }

        _element = element;
        Path = path;
    }

    public string Path { get; }

    public string At(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key)
    {
        _known.Add(key);
        return _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;
    }

    public JsonElement? Get(string key) => Has(key) ? _element.GetProperty(key) : null;

    public string? String(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new PoolFileException(At(key), "expected a string");
    }

    public bool? Bool(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PoolFileException(At(key), "expected true or false"),
        };
    }

    public long? Integer(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw new PoolFileException(At(key), "expected an integer");
    }

    public double? Number(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new PoolFileException(At(key), "expected a number");
    }

    public long? Size(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var bytes) && bytes >= 0)
        {
            return bytes;
        }

        if (value.ValueKind == JsonValueKind.String && SizeParser.TryParse(value.GetString()!) is { } parsed)
        {
            return parsed;
        }

        throw new PoolFileException(At(key), $"invalid size {value.GetRawText()} (use bytes or e.g. \"2GiB\", \"512MiB\")");
    }

    public string? Uuid(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return Guid.TryParseExact(text, "D", out _) ? text.ToLowerInvariant() : throw new PoolFileException(At(key), $"invalid uuid \"{text}\"");
    }

    public IReadOnlyList<JsonSection> Objects(string key)
    {
        if (Get(key) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PoolFileException(At(key), "expected an array");
        }

        return [.. value.EnumerateArray().Select((item, i) => new JsonSection(item, $"{At(key)}[{i}]"))];
    }

    public IReadOnlyList<string> Strings(string key)
    {
        if (Get(key) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new PoolFileException(At(key), "expected an array of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new PoolFileException(At(key), "expected an object of strings");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new PoolFileException(At(key) + "." + property.Name, "expected a string");
        }

        return map;
    }

    /// <summary>Throws for the first key that no reader asked about.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                throw new PoolFileException(At(property.Name), "unknown key");
            }
        }
    }
}
