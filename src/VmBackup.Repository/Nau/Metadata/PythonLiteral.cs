using System.Globalization;
using System.Text;

namespace VmBackup.Repository.Nau.Metadata;

/// <summary>
/// Python 2.7 <c>repr()</c> of the values v3.25 writes: strings as xmlrpclib returns them (ASCII-only text is a
/// <c>str</c>, other text a <c>unicode</c> shown as <c>u'…'</c>) and dicts in CPython 2.7's hash-table order.
/// </summary>
internal static class PythonLiteral
{
    private const int MinSize = 8;
    private const int PerturbShift = 5;

    /// <summary>
    /// <c>repr(dict)</c> of a dict built by inserting <paramref name="items"/> in order (as xmlrpclib builds a struct),
    /// e.g. <c>{'ethtool-tx': 'off'}</c> or <c>{}</c>. A repeated key keeps its first slot and takes the last value.
    /// </summary>
    public static string DictRepr(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var table = new Py2Dict();
        foreach (var (key, value) in items)
        {
            table.Set(key, value);
        }

        var sb = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in table.InSlotOrder())
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(StringRepr(key)).Append(": ").Append(StringRepr(value));
        }

        return sb.Append('}').ToString();
    }

    /// <summary><c>repr()</c> of a string as xmlrpclib delivers it: <c>str</c> when ASCII, otherwise <c>unicode</c>.</summary>
    public static string StringRepr(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var ascii = s.All(c => c < 0x80);
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 3);
        if (!ascii)
        {
            sb.Append('u');
        }

        sb.Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append((char)c);
            }
            else if (c == '\t')
            {
                sb.Append(@"\t");
            }
            else if (c == '\n')
            {
                sb.Append(@"\n");
            }
            else if (c == '\r')
            {
                sb.Append(@"\r");
            }
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0x100))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            }
            else if (c >= 0x10000)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\U{c:x8}");
            }
            else if (c >= 0x100)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{c:x4}");
            }
            else
            {
                sb.Append((char)c);
            }
        }

        return sb.Append(quote).ToString();
    }

    /// <summary>CPython 2.7 (64-bit, no hash randomisation) hash of a str/unicode: the code points of the text.</summary>
    public static long Hash(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var points = s.EnumerateRunes().Select(r => (long)r.Value).ToArray();
        if (points.Length == 0)
        {
            return 0;
        }

        unchecked
        {
            var x = points[0] << 7;
            foreach (var p in points)
            {
                x = (1000003 * x) ^ p;
            }

            x ^= points.Length;
            return x == -1 ? -2 : x;
        }
    }

    /// <summary>Just enough of CPython 2.7's dictobject.c (insert, resize, slot order) to know the iteration order.</summary>
    private sealed class Py2Dict
    {
        private Entry?[] _slots = new Entry?[MinSize];
        private int _used;

        public void Set(string key, string value)
        {
            var hash = Hash(key);
            var slot = Lookup(_slots, key, hash);
            if (_slots[slot] is { } existing)
            {
                existing.Value = value;
                return;
            }

            _slots[slot] = new Entry(key, hash, value);
            _used++;

            // No deletions, so fill == used. Resize when fill*3 >= (mask+1)*2, to the smallest power of 2 > 4*used.
            if (_used * 3 >= _slots.Length * 2)
            {
                var newSize = MinSize;
                while (newSize <= _used * 4)
                {
                    newSize <<= 1;
                }

                var old = _slots;
                _slots = new Entry?[newSize];
                foreach (var e in old)
                {
                    if (e is not null)
                    {
                        _slots[Lookup(_slots, e.Key, e.Hash)] = e;
                    }
                }
            }
        }

        public IEnumerable<KeyValuePair<string, string>> InSlotOrder() =>
            _slots.Where(e => e is not null).Select(e => new KeyValuePair<string, string>(e!.Key, e.Value));

        private static int Lookup(Entry?[] slots, string key, long hash)
        {
            unchecked
            {
                var mask = (ulong)(slots.Length - 1);
                var i = (ulong)hash & mask;
                var perturb = (ulong)hash;
                while (true)
                {
                    var e = slots[(int)(i & mask)];
                    if (e is null || (e.Hash == hash && string.Equals(e.Key, key, StringComparison.Ordinal)))
                    {
                        return (int)(i & mask);
                    }

                    i = (i << 2) + i + perturb + 1;
                    perturb >>= PerturbShift;
                }
            }
        }
    }

    private sealed class Entry(string key, long hash, string value)
    {
        public string Key { get; } = key;

        public long Hash { get; } = hash;

        public string Value { get; set; } = value;
    }
}
