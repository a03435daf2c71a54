namespace XapiSim.Http;

/// <summary>Chooses a handler by HTTP method and longest path prefix, as xapi's http_svr does. CONTRACT STUB.</summary>
public sealed class HttpRouter
{
    /// <summary>Adds a handler for <paramref name="method"/> requests whose path starts with <paramref name="pathPrefix"/>.</summary>
    public void Map(string method, string pathPrefix, IHttpHandler handler) => throw new NotImplementedException();
}
