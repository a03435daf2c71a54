using System.Text;

namespace VmBackup.Formats.Tar;

/// <summary>Encoding and decoding of single 512-byte tar header blocks.</summary>
internal static class TarHeaderBlock
{
    internal const int BlockSize = 512;

    /// <summary>Fills <paramref name="block"/> with an ocaml-tar style V7 header (mode 0000400, uid/gid 0, typeflag NUL).</summary>
    internal static void WriteV7(Span<byte> block, string name, long size, long mtime)
    {
        block[..BlockSize].Clear();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            throw new ArgumentException($"tar entry name '{name}' is longer than 100 bytes, which V7 headers cannot hold", nameof(name));
        }

        if (size < 0 || size > 8589934591L)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "size does not fit 11 octal digits");
        }

        nameBytes.CopyTo(block);
        WriteOctal(block.Slice(100, 8), 256, 7); // octal 0400: read-only for the owner
        WriteOctal(block.Slice(108, 8), 0, 7);
        WriteOctal(block.Slice(116, 8), 0, 7);
        WriteOctal(block.Slice(124, 12), size, 11);
        WriteOctal(block.Slice(136, 12), mtime, 11);
        block[156] = 0;
        block.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in block[..BlockSize])
        {
            sum += b;
        }

        WriteOctal(block.Slice(148, 8), sum, 7);
    }

    internal static bool IsZero(ReadOnlySpan<byte> block) => !block[..BlockSize].ContainsAnyExcept((byte)0);

    /// <summary>Verifies the header checksum (unsigned, or signed as some old tars wrote it).</summary>
    internal static bool ChecksumMatches(ReadOnlySpan<byte> block, out long stored, out long computed)
    {
        var unsignedSum = 0L;
        var signedSum = 0L;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsignedSum += b;
            signedSum += (sbyte)b;
        }

        computed = unsignedSum;
        if (!TryParseNumber(block.Slice(148, 8), out stored))
        {
            return false;
        }

        return stored == unsignedSum || stored == signedSum;
    }

    /// <summary>Parses an octal field (space/NUL terminated) or a GNU base-256 field (high bit of the first byte set).</summary>
    internal static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0)
            {
                return false; // negative base-256 values are never valid sizes or times here
            }

            value = field[0] & 0x3F;
            for (var i = 1; i < field.Length; i++)
            {
                if (value > (long.MaxValue >> 8))
                {
                    return false;
                }

                value = (value << 8) | field[i];
            }

            return true;
        }

        var start = 0;
        while (start < field.Length && (field[start] == (byte)' ' || field[start] == 0))
        {
            start++;
        }

        var seenDigit = false;
        for (var i = start; i < field.Length; i++)
        {
            var c = field[i];
            if (c is (byte)' ' or 0)
            {
                break;
            }

            if (c is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            if (value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (long)(c - '0');
            seenDigit = true;
        }

        return seenDigit || start == field.Length;
    }

    internal static string ReadString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteOctal(Span<byte> field, long value, int digits)
    {
        var text = Convert.ToString(value, 8).PadLeft(digits, '0');
        if (text.Length > digits)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {digits} octal digits");
        }

        Encoding.ASCII.GetBytes(text, field);
        field[digits] = 0;
    }
}
