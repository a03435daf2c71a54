using XapiSim.Http;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// xapi's <c>check_sr_availability</c> / <c>find_host_for_sr</c>: a host can serve a transfer when the SR is shared or has
/// an attached PBD on that host; otherwise the request is redirected (302) to a host that can.
/// </summary>
internal static class SrLocality
{
    /// <summary>True when <paramref name="hostRef"/> can reach <paramref name="srRef"/>.</summary>
    public static bool CanSee(SimulatedPool pool, string hostRef, string srRef)
    {
        var db = pool.Database;
        if (!db.Exists(srRef, "SR") || (bool)db.Get("SR", srRef, "shared"))
        {
            return true;
        }

        var pbds = db.GetStrings("SR", srRef, "PBDs");
        return pbds.Count == 0 || pbds.Any(pbd => db.GetString("PBD", pbd, "host") == hostRef);
    }

    /// <summary>A host that can reach the SR, or null.</summary>
    public static string? HostFor(SimulatedPool pool, string srRef)
    {
        var db = pool.Database;
        return db.GetStrings("SR", srRef, "PBDs").Select(pbd => db.GetString("PBD", pbd, "host")).FirstOrDefault(h => db.Exists(h, "host"));
    }

    /// <summary>
    /// When the receiving host cannot see one of <paramref name="srRefs"/>, answers <c>302 Found</c> to a host that can
    /// (same scheme, port, path and query) and returns true.
    /// </summary>
    public static async ValueTask<bool> RedirectIfElsewhereAsync(HttpExchange exchange, SimulatedPool pool, IEnumerable<string> srRefs, CancellationToken cancellationToken)
    {
        var here = pool.HostForAddress(exchange.LocalEndPoint?.Address);
        foreach (var sr in srRefs)
        {
            if (CanSee(pool, here, sr) || HostFor(pool, sr) is not { } target || target == here)
            {
                continue;
            }

            var address = pool.Database.GetString("host", target, "address");
            var host = address.Contains(':', StringComparison.Ordinal) ? "[" + address + "]" : address;
            var scheme = exchange.IsTls ? "https" : "http";
            var port = exchange.LocalEndPoint?.Port ?? (exchange.IsTls ? 443 : 80);
            var query = exchange.RawQuery.Length > 0 ? "?" + exchange.RawQuery : string.Empty;
            await exchange.RespondRedirectAsync($"{scheme}://{host}:{port}{exchange.Path}{query}", cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
