using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Fakes;

namespace VmBackup.Xapi.Tests.Session;

public sealed class ProtocolSelectionTests
{
    private static FakeRpcResult? GetAll(FakeRpcCall call) =>
        call.Method == "VM.get_all" ? FakeRpcResult.Ok(new[] { "OpaqueRef:vm1", "OpaqueRef:vm2" }) : null;

    [Fact]
    public async Task Auto_JsonRpcOffered_StaysOnJsonRpc()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(GetAll));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var vms = await session.Vm.GetAllAsync(CancellationToken.None);

        vms.Select(v => v.OpaqueRef).ShouldBe(["OpaqueRef:vm1", "OpaqueRef:vm2"]);
        session.Protocol.ShouldBe(XenApiProtocol.JsonRpc);
        xapi.HttpRequests.ShouldAllBe(r => r.Path == "/jsonrpc" && r.Method == "POST");
        xapi.HttpRequests.First().Headers["Content-Type"].ShouldStartWith("application/json");
    }

    [Fact]
    public async Task Auto_ReplyNotJson_FallsBackToXmlRpcForTheConnection()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(GetAll), offerJsonRpc: false);
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var vms = await session.Vm.GetAllAsync(CancellationToken.None);

        vms.Count.ShouldBe(2);
        session.Protocol.ShouldBe(XenApiProtocol.XmlRpc);
        var paths = xapi.HttpRequests.Select(r => r.Path).ToArray();
        paths.Count(p => p == "/jsonrpc").ShouldBe(1);
        paths.Skip(1).ShouldAllBe(p => p == "/");
        xapi.Calls.ShouldAllBe(c => c.Protocol == "xml");
        xapi.HttpRequests.Last().Headers["Content-Type"].ShouldStartWith("text/xml");
    }

    [Fact]
    public async Task XmlRpc_Explicit_NeverTriesJsonRpc()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(GetAll));
        await using var session = await FakeScripts.ConnectAsync(xapi, XenApiProtocol.XmlRpc);

        await session.Vm.GetAllAsync(CancellationToken.None);

        session.Protocol.ShouldBe(XenApiProtocol.XmlRpc);
        xapi.HttpRequests.ShouldAllBe(r => r.Path == "/");
    }

    [Fact]
    public async Task JsonRpc_Explicit_ServerWithoutJson_FailsClearly()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(), offerJsonRpc: false);

        var e = await Should.ThrowAsync<XenApiConnectionException>(() => FakeScripts.ConnectAsync(xapi, XenApiProtocol.JsonRpc));

        e.Message.ShouldContain("JSON-RPC");
        xapi.HttpRequests.ShouldAllBe(r => r.Path == "/jsonrpc");
    }

    [Fact]
    public async Task HttpErrorStatus_IsHardError_WithoutFallback()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpResponse.Text(500, "text/html", "<html>boom</html>", "Internal Server Error"));

        var e = await Should.ThrowAsync<XenApiConnectionException>(() =>
            XenApiSession.ConnectAsync(server.Uri, FakeScripts.User, FakeScripts.Password, FakeScripts.Options(XenApiProtocol.Auto), CancellationToken.None));

        e.HttpStatusCode.ShouldBe(500);
        server.Requests.Select(r => r.Path).ShouldBe(["/jsonrpc"]);
    }

    [Fact]
    public async Task GarbageReply_IsConnectionError()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpResponse.Text(200, "application/json", "{not json"));

        var e = await Should.ThrowAsync<XenApiConnectionException>(() =>
            XenApiSession.ConnectAsync(server.Uri, FakeScripts.User, FakeScripts.Password, FakeScripts.Options(XenApiProtocol.Auto), CancellationToken.None));

        e.Message.ShouldContain("not a valid JSON-RPC response");
    }

    [Theory]
    [InlineData(XenApiProtocol.JsonRpc, false)]
    [InlineData(XenApiProtocol.JsonRpc, true)]
    [InlineData(XenApiProtocol.XmlRpc, false)]
    public async Task Errors_BecomeXenApiException_WithCodeParametersAndMethod(XenApiProtocol protocol, bool jsonV1)
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method == "VM.get_record"
            ? FakeRpcResult.Error("HANDLE_INVALID", "VM", call.Text(1))
            : null)) { JsonV1Errors = jsonV1 };
        await using var session = await FakeScripts.ConnectAsync(xapi, protocol);

        var e = await Should.ThrowAsync<XenApiException>(() => session.Vm.GetRecordAsync(new XenRef<VmRecord>("OpaqueRef:gone"), CancellationToken.None));

        e.ErrorCode.ShouldBe("HANDLE_INVALID");
        e.ErrorParameters.ShouldBe(["VM", "OpaqueRef:gone"]);
        e.MethodName.ShouldBe("VM.get_record");
    }

    [Theory]
    [InlineData(XenApiProtocol.JsonRpc)]
    [InlineData(XenApiProtocol.XmlRpc)]
    public async Task TypedRecords_ConvertInt64DatesAndEnumsOnBothProtocols(XenApiProtocol protocol)
    {
        var record = new Dictionary<string, object?>
        {
            ["uuid"] = "vdi-uuid",
            ["virtual_size"] = protocol == XenApiProtocol.XmlRpc ? "21474836480" : 21474836480L,
            ["type"] = "user",
            ["snapshot_time"] = new DateTime(2024, 12, 31, 23, 0, 0, DateTimeKind.Utc),
            ["sm_config"] = new Dictionary<string, object?> { ["vdi_type"] = "vhd" },
            ["SR"] = "OpaqueRef:sr",
            ["is_a_snapshot"] = true,
        };
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method == "VDI.get_all_records"
            ? FakeRpcResult.Ok(new Dictionary<string, object?> { ["OpaqueRef:vdi"] = record })
            : null));
        await using var session = await FakeScripts.ConnectAsync(xapi, protocol);

        var all = await session.Vdi.GetAllRecordsAsync(CancellationToken.None);

        var vdi = all[new XenRef<VdiRecord>("OpaqueRef:vdi")];
        vdi.VirtualSize.ShouldBe(21474836480L);
        vdi.Type.ShouldBe(VdiType.User);
        vdi.SnapshotTime.ShouldBe(new DateTime(2024, 12, 31, 23, 0, 0, DateTimeKind.Utc));
        vdi.SmConfig["vdi_type"].ShouldBe("vhd");
        vdi.Sr.OpaqueRef.ShouldBe("OpaqueRef:sr");
        vdi.IsASnapshot.ShouldBeTrue();
    }

    [Fact]
    public async Task SessionRef_IsPrependedToEveryCall()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => FakeRpcResult.Ok(null)));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        await session.Vm.SetIsATemplateAsync(new XenRef<VmRecord>("OpaqueRef:vm"), false, CancellationToken.None);

        var call = xapi.Calls.Single(c => c.Method == "VM.set_is_a_template");
        call.Params.ShouldBe(new object?[] { FakeScripts.SessionRef, "OpaqueRef:vm", false });
    }
}
