using VmBackup.Formats;
using XapiSim.Http;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>xapi's import error mapping (import.ml <c>with_error_handling</c>).</summary>
internal static class ImportErrors
{
    /// <summary>A body that ended early is <c>IMPORT_ERROR_PREMATURE_EOF</c>; other damage is <c>IMPORT_ERROR [msg]</c>.</summary>
    public static XenApiFailure? Map(Exception e, HttpExchange exchange)
    {
        if (exchange.RequestBodyIncomplete || e is EndOfStreamException || (e is DamagedInputException && IsTruncation(e.Message)))
        {
            return new XenApiFailure("IMPORT_ERROR_PREMATURE_EOF");
        }

        return e is IOException or InvalidDataException or FormatException ? new XenApiFailure("IMPORT_ERROR", e.Message) : null;
    }

    private static bool IsTruncation(string message)
        => message.Contains("truncated", StringComparison.OrdinalIgnoreCase)
            || message.Contains("ends at offset", StringComparison.OrdinalIgnoreCase)
            || message.Contains("is empty", StringComparison.OrdinalIgnoreCase)
            || message.Contains("archive ends", StringComparison.OrdinalIgnoreCase);
}
