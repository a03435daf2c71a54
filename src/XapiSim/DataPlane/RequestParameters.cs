using XapiSim.Http;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>How xapi's HTTP handlers read their parameters (cookie first, then query).</summary>
internal static class RequestParameters
{
    /// <summary>Import-style flag: true only for the exact string <c>true</c>.</summary>
    public static bool Flag(HttpExchange exchange, string name) => exchange.GetParameter(name) == "true";

    /// <summary>A flag with a default, accepting <c>true</c>/<c>false</c> (anything else keeps the default).</summary>
    public static bool Flag(HttpExchange exchange, string name, bool defaultValue) => exchange.GetParameter(name) switch
    {
        "true" => true,
        "false" => false,
        _ => defaultValue,
    };

    /// <summary>
    /// Resolves a parameter holding a reference or a uuid of <paramref name="className"/>; null when absent or unknown.
    /// </summary>
    public static string? RefOrUuid(SimulatedPool pool, string className, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (pool.Database.Exists(value, className))
        {
            return value;
        }

        return pool.Database.FindByUuid(className, value);
    }
}
