namespace XapiSim.Http;

/// <summary>The request head exceeded the server's header size cap (xapi answers 431).</summary>
internal sealed class RequestHeadTooLargeException : Exception
{
    public RequestHeadTooLargeException()
        : base("The request head exceeds the maximum header size.")
    {
    }
}
