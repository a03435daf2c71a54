namespace XapiSim.Http;

/// <summary>The request line or a header could not be parsed (xapi answers an HTML 500).</summary>
internal sealed class RequestHeadParseException(string message) : Exception(message);
