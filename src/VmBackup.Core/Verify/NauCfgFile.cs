using System.Globalization;
using System.Text;

namespace VmBackup.Core.Verify;

/// <summary>
/// Reads v3.25's <c>vbd.cfg</c> / <c>vdi.cfg</c> / <c>vif-N.cfg</c> (<c>key=value\n</c> lines, UTF-8). v3.25 writes
/// values raw, so a name containing a newline continues on the next line: a line without <c>=</c> belongs to the
/// previous value. The byte offset of each line is kept so that errors can point at it.
/// </summary>
internal sealed class NauCfgFile
{
    private readonly Dictionary<string, (string Value, long Offset)> _values;

    private NauCfgFile(Dictionary<string, (string Value, long Offset)> values)
    {
        _values = values;
    }

    /// <summary>Parses the bytes of a cfg file; <see cref="CfgFormatException"/> (with the line's offset) when it is not one.</summary>
    public static NauCfgFile Parse(ReadOnlySpan<byte> bytes)
    {
        var values = new Dictionary<string, (string Value, long Offset)>(StringComparer.Ordinal);
        string? lastKey = null;
        long offset = 0;
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            var nl = rest.IndexOf((byte)'\n');
            var line = nl < 0 ? rest : rest[..nl];
            var eq = line.IndexOf((byte)'=');
            if (eq > 0)
            {
                var key = Encoding.UTF8.GetString(line[..eq]);
                lastKey = key;
                values.TryAdd(key, (Encoding.UTF8.GetString(line[(eq + 1)..]).TrimEnd('\r'), offset));
            }
            else if (lastKey is null && !line.Trim(" \t\r"u8).IsEmpty)
            {
                throw new CfgFormatException("the first line is not key=value", offset);
            }

            var consumed = nl < 0 ? rest.Length : nl + 1;
            offset += consumed;
            rest = rest[consumed..];
        }

        return new NauCfgFile(values);
    }

    /// <summary>The value of <paramref name="key"/>; <see cref="CfgFormatException"/> when absent.</summary>
    public string Required(string key) =>
        _values.TryGetValue(key, out var v) ? v.Value : throw new CfgFormatException($"no '{key}=' line", null);

    /// <summary>A non-negative integer value (v3.25 writes <c>virtual_size</c> in bytes).</summary>
    public long RequiredInt64(string key)
    {
        if (!_values.TryGetValue(key, out var v))
        {
            throw new CfgFormatException($"no '{key}=' line", null);
        }

        return long.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CfgFormatException($"'{key}={v.Value}' is not a non-negative integer", v.Offset);
    }

    /// <summary>A cfg file is not in v3.25's format.</summary>
    internal sealed class CfgFormatException(string message, long? offset) : FormatException(message)
    {
        /// <summary>The byte offset of the offending line, when there is one.</summary>
        public long? Offset { get; } = offset;
    }
}
