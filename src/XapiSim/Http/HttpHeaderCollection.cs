using System.Collections;

namespace XapiSim.Http;

/// <summary>
/// An ordered list of HTTP header fields. Lookups ignore case; the names keep the spelling they were
/// added with, and the response side writes them in insertion order with that spelling.
/// </summary>
/// <remarks>Not thread-safe: one exchange is handled by one task.</remarks>
public sealed class HttpHeaderCollection : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>The number of fields (a repeated name counts once per occurrence).</summary>
    public int Count => _fields.Count;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    /// <summary>Appends a field, keeping any existing field of the same name.</summary>
    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.AsSpan().IndexOfAny(":\r\n") >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("Header names and values cannot contain CR, LF (or ':' in the name).", nameof(name));
        }

        _fields.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>Replaces every field named <paramref name="name"/> by one field, at the position of the first.</summary>
    public void Set(string name, string value)
    {
        var index = _fields.FindIndex(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            Add(name, value);
            return;
        }

        Remove(name);
        Add(name, value);
        var added = _fields[^1];
        _fields.RemoveAt(_fields.Count - 1);
        _fields.Insert(index, added);
    }

    /// <summary>Removes every field named <paramref name="name"/>; true if there was one.</summary>
    public bool Remove(string name) => _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>True if a field named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => TryGetValue(name, out _);

    /// <summary>The first value of <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = field.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> GetValues(string name)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return field.Value;
            }
        }
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
