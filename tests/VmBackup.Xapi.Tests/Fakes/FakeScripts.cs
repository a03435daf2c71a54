namespace VmBackup.Xapi.Tests.Fakes;

/// <summary>Common scripts for <see cref="FakeXapi"/>: login/logout of one user, the rest delegated to the test.</summary>
internal static class FakeScripts
{
    public const string User = "root";
    public const string Password = "pa55-w0rd-!";
    public const string SessionRef = "OpaqueRef:11111111-2222-3333-4444-555555555555";

    public static Func<FakeRpcCall, FakeRpcResult> Xapi(Func<FakeRpcCall, FakeRpcResult?>? more = null, string sessionRef = SessionRef) => call =>
    {
        switch (call.Method)
        {
            case "session.login_with_password":
                return call.Text(0) == User && call.Text(1) == Password
                    ? FakeRpcResult.Ok(sessionRef)
                    : FakeRpcResult.Error("SESSION_AUTHENTICATION_FAILED", call.Text(0), "Authentication failure");
            case "session.logout":
                return FakeRpcResult.Ok(null);
            default:
                return more?.Invoke(call) ?? FakeRpcResult.Error("MESSAGE_METHOD_UNKNOWN", call.Method);
        }
    };

    public static XenApiClientOptions Options(XenApiProtocol protocol, Action<string>? trace = null) => new()
    {
        Protocol = protocol,
        Trace = trace,
        CallTimeout = TimeSpan.FromSeconds(20),
        EventFromTimeout = TimeSpan.FromSeconds(1),
    };

    public static Task<XenApiSession> ConnectAsync(FakeXapi xapi, XenApiProtocol protocol = XenApiProtocol.Auto, Action<string>? trace = null) =>
        XenApiSession.ConnectAsync(xapi.Uri, User, Password, Options(protocol, trace), CancellationToken.None);
}
