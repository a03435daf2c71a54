using VmBackup.TestKit;
using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Tests.Simulator;

/// <summary>Helpers to open a client session on a TestKit simulator (sample pool) and find its objects.</summary>
internal static class SimulatorSession
{
    public static TheoryData<XenApiProtocol> Protocols => new() { XenApiProtocol.JsonRpc, XenApiProtocol.XmlRpc };

    public static XenApiClientOptions Options(XenApiProtocol protocol) => new()
    {
        Protocol = protocol,
        CallTimeout = TimeSpan.FromSeconds(30),
        EventFromTimeout = TimeSpan.FromSeconds(2),
    };

    public static Task<XenApiSession> ConnectAsync(SimulatorFixture sim, XenApiProtocol protocol) =>
        XenApiSession.ConnectAsync(sim.HttpUri, sim.Credentials.User, sim.Credentials.Password, Options(protocol), CancellationToken.None);

    public static async Task<XenRef<VmRecord>> VmAsync(XenApiSession session, string label)
    {
        var refs = await session.Vm.GetByNameLabelAsync(label, CancellationToken.None);
        refs.Count.ShouldBe(1, "VM " + label);
        return refs[0];
    }
}
