using VmBackup.TestKit;

namespace VmBackup.Xapi.Tests.Simulator;

/// <summary><see cref="XenApiSession.CallWithSessionAsync"/>: a call made with another session ref through this connection.</summary>
public sealed class SimulatorOtherSessionTests
{
    public static TheoryData<XenApiProtocol> Protocols => SimulatorSession.Protocols;

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task CallWithSession_UsesTheGivenSession_AndNeverLogsInAgainForIt(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var first = await SimulatorSession.ConnectAsync(sim, protocol);
        await using var second = await SimulatorSession.ConnectAsync(sim, protocol);

        var viaFirst = await first.CallWithSessionAsync(second.SessionId, "session.get_uuid", [second.SessionId], CancellationToken.None);

        viaFirst.ShouldBe(await second.CallAsync<string>("session.get_uuid", [second.SessionId], CancellationToken.None));
        var invalid = await Should.ThrowAsync<XenApiException>(() =>
            first.CallWithSessionAsync("OpaqueRef:00000000-0000-0000-0000-000000000000", "pool.get_all", [], CancellationToken.None));
        invalid.ErrorCode.ShouldBe(XenApiErrorCodes.SessionInvalid);
        (await first.Pool.GetAllAsync(CancellationToken.None)).Count.ShouldBe(1, "the first session is untouched");
    }
}
