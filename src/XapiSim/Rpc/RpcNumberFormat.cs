using System.Globalization;

namespace XapiSim.Rpc;

/// <summary>Floating-point text as XAPI writes it (OCaml <c>printf</c> conventions).</summary>
internal static class RpcNumberFormat
{
    /// <summary>C's <c>%.16g</c>, as ocaml-rpc writes XML-RPC doubles: <c>0.1</c>, <c>1</c>, <c>1e-05</c>, <c>1e+20</c>, <c>nan</c>, <c>inf</c>.</summary>
    public static string FormatXmlDouble(double value) => FormatG(value, 16);

    /// <summary>Yojson's float: <c>%.16g</c>, or <c>%.17g</c> when that does not round-trip, with <c>.0</c> added to integral text.</summary>
    public static string FormatJsonDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var text = FormatG(value, 16);
        if (double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != value)
        {
            text = FormatG(value, 17);
        }

        return text.AsSpan().ContainsAnyExcept("-0123456789") ? text : text + ".0";
    }

    private static string FormatG(double value, int precision)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        var mantissa = text[..e];
        var sign = text[e + 1];
        var digits = text[(e + 2)..].TrimStart('0');
        return mantissa + "e" + sign + digits.PadLeft(2, '0');
    }
}
