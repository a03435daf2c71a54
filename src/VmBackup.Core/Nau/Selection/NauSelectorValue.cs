namespace VmBackup.Core.Nau.Selection;

/// <summary>
/// Splits a vm-export/vdi-export value into selector and <c>:max_backups</c> suffix.
/// </summary>
/// <remarks>
/// v3.25 splits on every <c>:</c> (part 0 = selector, part 1 = suffix, the rest silently dropped), so a regex
/// containing <c>:</c> was impossible. VmBackup splits at the <b>first</b> <c>:</c> that is not regex syntax:
/// not escaped (<c>\:</c>), not inside <c>[…]</c>, not inside a group <c>(…)</c>. Everything after it is the suffix
/// (validated like v3.25, so <c>PROD-db:2:9</c> is now an error instead of a silent <c>PROD-db:2</c>). An empty
/// suffix means none. Every value v3.25 handled without error splits the same way.
/// </remarks>
public static class NauSelectorValue
{
    /// <summary>Splits <paramref name="value"/>.</summary>
    /// <returns>The selector and the suffix (null when absent or empty).</returns>
    public static (string Selector, string? Suffix) Split(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var depth = 0;
        var inClass = false;
        var classStart = -1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                if (c == ']' && i > classStart + 1 && !(i == classStart + 2 && value[classStart + 1] == '^'))
                {
                    inClass = false;
                }

                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    classStart = i;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (depth > 0)
                    {
                        depth--;
                    }

                    break;
                case ':' when depth == 0:
                    var suffix = value[(i + 1)..];
                    return (value[..i], suffix.Length == 0 ? null : suffix);
            }
        }

        return (value, null);
    }
}
