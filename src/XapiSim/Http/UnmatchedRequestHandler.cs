namespace XapiSim.Http;

/// <summary>xapi's answers to requests no handler claims.</summary>
internal sealed class UnmatchedRequestHandler : IHttpHandler
{
    private readonly Func<HttpExchange, CancellationToken, ValueTask> _respond;

    private UnmatchedRequestHandler(Func<HttpExchange, CancellationToken, ValueTask> respond) => _respond = respond;

    public static UnmatchedRequestHandler NotFound { get; } = new((e, ct) => e.RespondNotFoundAsync(ct));

    public static UnmatchedRequestHandler Forbidden { get; } = new((e, ct) => e.RespondForbiddenAsync(ct));

    public static UnmatchedRequestHandler MethodNotImplemented { get; } = new((e, ct) => e.RespondMethodNotImplementedAsync(ct));

    public ValueTask HandleAsync(HttpExchange exchange, CancellationToken cancellationToken) => _respond(exchange, cancellationToken);
}
