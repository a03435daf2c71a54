namespace VmBackup.Xapi;

/// <summary>The wire protocol a <see cref="XenApiSession"/> speaks to XAPI.</summary>
public enum XenApiProtocol
{
    /// <summary>
    /// JSON-RPC v2 on <c>POST /jsonrpc</c> first; if that reply's content type is not <c>application/json</c>,
    /// switch to XML-RPC on <c>POST /</c> for the rest of the connection (Xen Orchestra's rule). The default.
    /// </summary>
    Auto = 0,

    /// <summary>JSON-RPC v2 on <c>POST /jsonrpc</c> only.</summary>
    JsonRpc = 1,

    /// <summary>XML-RPC on <c>POST /</c> only.</summary>
    XmlRpc = 2,
}
