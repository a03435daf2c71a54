namespace XapiSim.Http;

/// <summary>Chooses a handler by HTTP method and longest path prefix, as xapi's http_svr does.</summary>
/// <remarks>
/// Paths are compared byte for byte (ordinal) against the request path before its query, undecoded.
/// A request that matches nothing is answered as xapi does: <c>501</c> when no handler is registered for the
/// method at all, <c>404</c> for an unmatched <c>GET</c>/<c>HEAD</c> (xapi's file server owns <c>GET /</c>), and
/// <c>403</c> otherwise (http_svr's default callback).
/// <see cref="Map(string, string, IHttpHandler)"/> may be called while the server runs; it is thread-safe.
/// </remarks>
public sealed class HttpRouter
{
    private readonly Lock _gate = new();
    private Dictionary<string, KeyValuePair<string, IHttpHandler>[]> _routes = new(StringComparer.Ordinal);

    /// <summary>Adds a handler for <paramref name="method"/> requests whose path starts with <paramref name="pathPrefix"/>.</summary>
    /// <remarks>Mapping the same method and prefix again replaces the earlier handler.</remarks>
    public void Map(string method, string pathPrefix, IHttpHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            var copy = new Dictionary<string, KeyValuePair<string, IHttpHandler>[]>(_routes, StringComparer.Ordinal);
            var entries = copy.TryGetValue(method, out var existing) ? existing.Where(e => e.Key != pathPrefix).ToList() : [];
            entries.Add(new KeyValuePair<string, IHttpHandler>(pathPrefix, handler));
            copy[method] = [.. entries];
            Volatile.Write(ref _routes, copy);
        }
    }

    /// <summary>Adds a delegate handler; see <see cref="Map(string, string, IHttpHandler)"/>.</summary>
    public void Map(string method, string pathPrefix, Func<HttpExchange, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Map(method, pathPrefix, new DelegateHttpHandler(handler));
    }

    /// <summary>The handler for a request: the registered one with the longest matching prefix, else xapi's fallback.</summary>
    public IHttpHandler Resolve(string method, string path)
    {
        var routes = Volatile.Read(ref _routes);
        if (!routes.TryGetValue(method, out var entries))
        {
            return UnmatchedRequestHandler.MethodNotImplemented;
        }

        IHttpHandler? best = null;
        var bestLength = -1;
        foreach (var (prefix, handler) in entries)
        {
            if (prefix.Length > bestLength && path.StartsWith(prefix, StringComparison.Ordinal))
            {
                best = handler;
                bestLength = prefix.Length;
            }
        }

        return best ?? (method is "GET" or "HEAD" ? UnmatchedRequestHandler.NotFound : UnmatchedRequestHandler.Forbidden);
    }
}
