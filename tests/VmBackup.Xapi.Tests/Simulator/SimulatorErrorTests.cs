using VmBackup.TestKit;
using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Tests.Simulator;

public sealed class SimulatorErrorTests
{
    public static TheoryData<XenApiProtocol> Protocols => SimulatorSession.Protocols;

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Login_RightPassword_SpeaksTheChosenProtocol(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);

        session.SessionId.ShouldStartWith("OpaqueRef:");
        session.Protocol.ShouldBe(protocol);
    }

    [Fact]
    public async Task Login_Auto_PicksJsonRpc()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, XenApiProtocol.Auto);

        session.Protocol.ShouldBe(XenApiProtocol.JsonRpc);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Login_WrongPassword_AuthenticationFailed(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var e = await Should.ThrowAsync<XenApiException>(() =>
            XenApiSession.ConnectAsync(sim.HttpUri, sim.Credentials.User, "not-the-password", SimulatorSession.Options(protocol), CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.SessionAuthenticationFailed);
        e.ToString().ShouldNotContain("not-the-password");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task UnknownMethod_MessageMethodUnknown(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);

        var e = await Should.ThrowAsync<XenApiException>(() => session.CallAsync("VM.no_such_message", [], CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.MessageMethodUnknown);
        e.ErrorParameters.ShouldContain("VM.no_such_message");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task StaleRef_HandleInvalid(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var stale = new XenRef<VmRecord>("OpaqueRef:00000000-dead-beef-0000-000000000000");

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vm.GetRecordAsync(stale, CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.HandleInvalid);
        e.ErrorParameters.ShouldBe(["VM", stale.OpaqueRef]);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task UnknownUuid_UuidInvalid(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vdi.GetByUuidAsync("00000000-0000-0000-0000-000000000000", CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.UuidInvalid);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task WrongParameterCount_Mismatch(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);

        var e = await Should.ThrowAsync<XenApiException>(() => session.CallAsync("VM.get_record", [], CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.MessageParameterCountMismatch);
        e.ErrorParameters.ShouldBe(["VM.get_record", "1", "0"]);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task StartingARunningVm_BadPowerState(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var vm = await SimulatorSession.VmAsync(session, "PROD-web");

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vm.StartAsync(vm, false, false, CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.VmBadPowerState);
        e.ErrorParameters[0].ShouldBe(vm.OpaqueRef);
        e.ErrorParameters[2].ShouldBe("running");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task AsyncFailure_SurfacesFromTheTask(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var vm = await SimulatorSession.VmAsync(session, "PROD-web");

        var task = await session.Vm.BeginStartAsync(vm, false, false, CancellationToken.None);
        var e = await Should.ThrowAsync<XenApiException>(() => session.WaitForTaskAsync(task, CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.VmBadPowerState);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task ExpiredSession_IsRenewedTransparently(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var before = session.SessionId;

        sim.Simulator.Faults.ExpireAllSessions();
        var vms = await session.Vm.GetAllAsync(CancellationToken.None);

        vms.ShouldNotBeEmpty();
        session.SessionId.ShouldNotBe(before);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task PoolMember_HostIsSlave_RedirectsToMaster(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var member = sim.Simulator.HostUris["xs2"];
        member.Host.ShouldNotBe(sim.HttpUri.Host);

        await using var session = await XenApiSession.ConnectAsync(member, sim.Credentials.User, sim.Credentials.Password, SimulatorSession.Options(protocol), CancellationToken.None);

        session.ServerUri.Host.ShouldBe(sim.HttpUri.Host);
        session.ServerUri.Port.ShouldBe(member.Port);
        (await session.Pool.GetAllAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Https_PinnedFingerprint_Accepted_UnpinnedRefused()
    {
        await using var sim = await SimulatorFixture.StartAsync(https: true);
        var https = sim.Simulator.HttpsUri!;

        var refused = await Should.ThrowAsync<XenApiConnectionException>(() =>
            XenApiSession.ConnectAsync(https, sim.Credentials.User, sim.Credentials.Password, new XenApiClientOptions(), CancellationToken.None));
        refused.PresentedCertificateFingerprint.ShouldBe(sim.Simulator.CertificateFingerprint);

        await using var session = await XenApiSession.ConnectAsync(
            https, sim.Credentials.User, sim.Credentials.Password, new XenApiClientOptions { TlsFingerprint = sim.Simulator.CertificateFingerprint }, CancellationToken.None);
        (await session.Vm.GetAllAsync(CancellationToken.None)).ShouldNotBeEmpty();
    }
}
