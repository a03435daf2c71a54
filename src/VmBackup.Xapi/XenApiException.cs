namespace VmBackup.Xapi;

/// <summary>
/// A XenAPI call failed: XAPI answered with <c>Status=Failure</c> (XML-RPC) or a JSON-RPC error, or a task ended in
/// failure. Carries XAPI's error code and parameters and the name of the method, never the arguments of the call (so
/// that passwords and session references cannot leak through exception text or logs).
/// </summary>
public sealed class XenApiException : Exception
{
    /// <summary>Creates the exception for <paramref name="errorCode"/> raised by <paramref name="methodName"/>.</summary>
    public XenApiException(string errorCode, IReadOnlyList<string> errorParameters, string? methodName)
        : base(FormatMessage(errorCode, errorParameters, methodName))
    {
        ErrorCode = errorCode;
        ErrorParameters = errorParameters;
        MethodName = methodName;
    }

    /// <summary>The XAPI error code, e.g. <c>HANDLE_INVALID</c> (see <see cref="XenApiErrorCodes"/>).</summary>
    public string ErrorCode { get; }

    /// <summary>The error's parameters as XAPI sent them, e.g. <c>["VM", "OpaqueRef:…"]</c>.</summary>
    public IReadOnlyList<string> ErrorParameters { get; }

    /// <summary>The XenAPI method that failed (e.g. <c>VM.snapshot</c>), when known.</summary>
    public string? MethodName { get; }

    private static string FormatMessage(string errorCode, IReadOnlyList<string> errorParameters, string? methodName)
    {
        var parameters = errorParameters.Count == 0 ? string.Empty : " [" + string.Join(", ", errorParameters) + "]";
        var source = methodName is null ? string.Empty : " (from " + methodName + ")";
        return "XenAPI error " + errorCode + parameters + source;
    }
}
