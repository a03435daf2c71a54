using System.Collections.Concurrent;
using System.Net;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Fakes;

namespace VmBackup.Xapi.Tests.Session;

public sealed class LoginTests
{
    [Fact]
    public async Task Login_SendsFourParameters_UserPasswordVersionOriginator()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi());
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var login = xapi.Calls.Single(c => c.Method == "session.login_with_password");
        login.Params.ShouldBe(new object?[] { FakeScripts.User, FakeScripts.Password, "1.1", "VmBackup" });
        session.SessionId.ShouldBe(FakeScripts.SessionRef);
        session.UserName.ShouldBe(FakeScripts.User);
    }

    [Fact]
    public async Task Login_ParameterCountMismatch_RetriesWithTwoParameters()
    {
        var inner = FakeScripts.Xapi();
        await using var xapi = new FakeXapi(call => call.Method == "session.login_with_password" && call.Params.Count != 2
            ? FakeRpcResult.Error("MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "2", call.Params.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : inner(call));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        xapi.Calls.Where(c => c.Method == "session.login_with_password").Select(c => c.Params.Count).ShouldBe([4, 2]);
        session.SessionId.ShouldBe(FakeScripts.SessionRef);
    }

    [Theory]
    [InlineData(XenApiProtocol.JsonRpc)]
    [InlineData(XenApiProtocol.XmlRpc)]
    public async Task WrongPassword_AuthenticationFailed_PasswordNowhereInTextOrTrace(XenApiProtocol protocol)
    {
        const string wrong = "hunter2-wrong-secret";
        var trace = new ConcurrentQueue<string>();
        await using var xapi = new FakeXapi(FakeScripts.Xapi());

        var e = await Should.ThrowAsync<XenApiException>(() =>
            XenApiSession.ConnectAsync(xapi.Uri, FakeScripts.User, wrong, FakeScripts.Options(protocol, trace.Enqueue), CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.SessionAuthenticationFailed);
        e.ErrorParameters[0].ShouldBe(FakeScripts.User);
        e.ToString().ShouldNotContain(wrong);
        trace.ShouldNotBeEmpty();
        trace.ShouldAllBe(line => !line.Contains(wrong));
        trace.ShouldContain(line => line.Contains("session.login_with_password") && line.Contains("SESSION_AUTHENTICATION_FAILED"));
    }

    [Fact]
    public async Task ServerEchoingThePassword_IsRedactedFromTheException()
    {
        await using var xapi = new FakeXapi(call => FakeRpcResult.Error("SESSION_AUTHENTICATION_FAILED", call.Text(0), "bad password " + call.Text(1)));

        var e = await Should.ThrowAsync<XenApiException>(() => FakeScripts.ConnectAsync(xapi));

        e.ToString().ShouldNotContain(FakeScripts.Password);
        e.ErrorParameters[1].ShouldBe("bad password ***");
    }

    [Fact]
    public async Task SessionToString_ShowsUserAndServer_NeverPasswordOrSessionRef()
    {
        var trace = new ConcurrentQueue<string>();
        await using var xapi = new FakeXapi(FakeScripts.Xapi(_ => FakeRpcResult.Ok(Array.Empty<string>())));
        await using var session = await FakeScripts.ConnectAsync(xapi, trace: trace.Enqueue);
        await session.Vm.GetAllAsync(CancellationToken.None);

        var text = session.ToString();

        text.ShouldContain(FakeScripts.User);
        text.ShouldContain(xapi.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.ShouldNotContain(FakeScripts.Password);
        text.ShouldNotContain(FakeScripts.SessionRef);
        trace.ShouldAllBe(line => !line.Contains(FakeScripts.SessionRef) && !line.Contains(FakeScripts.Password));
        trace.ShouldContain(line => line.StartsWith("VM.get_all ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostIsSlave_ReconnectsToMasterAddress_KeepingSchemeAndPort()
    {
        await using var master = new FakeXapi(FakeScripts.Xapi(_ => FakeRpcResult.Ok(Array.Empty<string>())), address: IPAddress.Parse("127.0.0.2"));
        await using var member = new FakeXapi(
            call => FakeRpcResult.Error("HOST_IS_SLAVE", "127.0.0.2"),
            address: IPAddress.Loopback,
            port: master.Port);
        await using var session = await FakeScripts.ConnectAsync(member);

        session.ServerUri.ShouldBe(new Uri("http://127.0.0.2:" + master.Port + "/"));
        await session.Vm.GetAllAsync(CancellationToken.None);
        master.Methods.ShouldBe(["session.login_with_password", "VM.get_all"]);
        member.Methods.ShouldBe(["session.login_with_password"]);
    }

    [Fact]
    public async Task SessionInvalid_LogsInAgainOnceAndRepeatsTheCall()
    {
        var logins = 0;
        var expired = true;
        await using var xapi = new FakeXapi(call =>
        {
            switch (call.Method)
            {
                case "session.login_with_password":
                    return FakeRpcResult.Ok("OpaqueRef:session-" + Interlocked.Increment(ref logins));
                case "VM.get_all" when expired && call.Text(0) == "OpaqueRef:session-1":
                    expired = false;
                    return FakeRpcResult.Error("SESSION_INVALID", call.Text(0));
                case "VM.get_all":
                    return FakeRpcResult.Ok(new[] { "OpaqueRef:vm" });
                default:
                    return FakeRpcResult.Ok(null);
            }
        });
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var vms = await session.Vm.GetAllAsync(CancellationToken.None);

        vms.Count.ShouldBe(1);
        logins.ShouldBe(2);
        session.SessionId.ShouldBe("OpaqueRef:session-2");
        xapi.Calls.Where(c => c.Method == "VM.get_all").Select(c => c.Text(0)).ShouldBe(["OpaqueRef:session-1", "OpaqueRef:session-2"]);
    }

    [Fact]
    public async Task SessionInvalid_Twice_IsThrownAfterOneRelogin()
    {
        var logins = 0;
        await using var xapi = new FakeXapi(call => call.Method == "session.login_with_password"
            ? FakeRpcResult.Ok("OpaqueRef:s" + Interlocked.Increment(ref logins))
            : FakeRpcResult.Error("SESSION_INVALID", call.Text(0)));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vm.GetAllAsync(CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.SessionInvalid);
        logins.ShouldBe(2);
    }

    [Fact]
    public async Task SessionInvalid_WithoutRelogin_IsThrown()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => FakeRpcResult.Error("SESSION_INVALID", call.Text(0))));
        await using var session = await XenApiSession.ConnectAsync(
            xapi.Uri, FakeScripts.User, FakeScripts.Password, FakeScripts.Options(XenApiProtocol.Auto) with { ReloginOnSessionInvalid = false }, CancellationToken.None);

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vm.GetAllAsync(CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.SessionInvalid);
        xapi.Methods.Count(m => m == "session.login_with_password").ShouldBe(1);
    }

    [Fact]
    public async Task DisposeAsync_LogsOut_AndLaterCallsFail()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi());
        var session = await FakeScripts.ConnectAsync(xapi);

        await session.DisposeAsync();

        var logout = xapi.Calls.Single(c => c.Method == "session.logout");
        logout.Params.ShouldBe(new object?[] { FakeScripts.SessionRef });
        session.IsLoggedIn.ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(() => session.Vm.GetAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LogoutAsync_IsIdempotent()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi());
        await using var session = await FakeScripts.ConnectAsync(xapi);

        await session.LogoutAsync(CancellationToken.None);
        await session.LogoutAsync(CancellationToken.None);

        xapi.Methods.Count(m => m == "session.logout").ShouldBe(1);
        await Should.ThrowAsync<InvalidOperationException>(() => session.Pool.GetAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CancelledToken_CancelsTheCall()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi());
        await using var session = await FakeScripts.ConnectAsync(xapi);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => session.Vm.GetAllRecordsAsync(cancelled.Token));
    }

    [Fact]
    public async Task UnreachableServer_IsConnectionError_NamingTheServer()
    {
        var e = await Should.ThrowAsync<XenApiConnectionException>(() =>
            XenApiSession.ConnectAsync(new Uri("http://127.0.0.1:1/"), "root", "x", FakeScripts.Options(XenApiProtocol.Auto), CancellationToken.None));

        e.Message.ShouldContain("127.0.0.1:1");
        e.Server.ShouldNotBeNull();
    }

    [Fact]
    public async Task GenericCall_SystemMethodsGoWithoutSession()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method == "system.listMethods"
            ? FakeRpcResult.Ok(new[] { "VM.get_all_records", "VDI.get_all_records" })
            : null));
        await using var session = await FakeScripts.ConnectAsync(xapi, XenApiProtocol.XmlRpc);

        var methods = await session.CallAsync<IReadOnlyList<string>>("system.listMethods", [], CancellationToken.None);

        methods.ShouldBe(["VM.get_all_records", "VDI.get_all_records"]);
        xapi.Calls.Single(c => c.Method == "system.listMethods").Params.ShouldBeEmpty();
    }

    [Fact]
    public async Task GenericCall_RawValueModel()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => FakeRpcResult.Ok(new Dictionary<string, object?> { ["n"] = "5", ["b"] = true })));
        await using var session = await FakeScripts.ConnectAsync(xapi, XenApiProtocol.XmlRpc);

        var raw = await session.CallAsync<object>("host.get_software_version", [new XenRef<HostRecord>("OpaqueRef:h")], CancellationToken.None);

        var map = raw.ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        map["n"].ShouldBe("5");
        map["b"].ShouldBe(true);
    }
}
