namespace XapiSim.Http;

/// <summary>A parsed request line and header block.</summary>
internal sealed record RequestHead(string Method, string RawTarget, string Path, string QueryString, string Version, HttpHeaderCollection Headers);
