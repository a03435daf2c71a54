using System.Text.Json;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Rpc;

namespace VmBackup.Xapi.Tests.Codec;

public sealed class JsonRpcCodecTests
{
    [Fact]
    public void EncodeRequest_IsVersion2WithPositionalParams()
    {
        var bytes = JsonRpcCodec.EncodeRequest("VM.snapshot", ["OpaqueRef:s", new XenRef<VmRecord>("OpaqueRef:vm"), "name"], 17);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        root.GetProperty("jsonrpc").GetString().ShouldBe("2.0");
        root.GetProperty("method").GetString().ShouldBe("VM.snapshot");
        root.GetProperty("id").GetInt64().ShouldBe(17);
        root.GetProperty("params").EnumerateArray().Select(e => e.GetString()).ShouldBe(["OpaqueRef:s", "OpaqueRef:vm", "name"]);
    }

    [Fact]
    public void EncodeRequest_WritesEveryArgumentType()
    {
        var when = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var bytes = JsonRpcCodec.EncodeRequest("m", [8589934592L, true, 30.1, when, VmPowerState.Running, new List<string> { "a" }, new Dictionary<string, string> { ["k"] = "v" }, null], 1);
        using var json = JsonDocument.Parse(bytes);
        var p = json.RootElement.GetProperty("params").EnumerateArray().ToArray();
        p[0].GetInt64().ShouldBe(8589934592L);
        p[1].GetBoolean().ShouldBeTrue();
        p[2].GetDouble().ShouldBe(30.1);
        p[3].GetString().ShouldBe("20250102T03:04:05Z");
        p[4].GetString().ShouldBe("Running");
        p[5][0].GetString().ShouldBe("a");
        p[6].GetProperty("k").GetString().ShouldBe("v");
        p[7].GetString().ShouldBe(string.Empty);
    }

    [Fact]
    public void DecodeResponse_Result_MapsEveryJsonType()
    {
        var reply = JsonRpcCodec.DecodeResponse("""{"jsonrpc":"2.0","result":{"s":"x","i":5,"f":0.5,"b":true,"n":null,"a":[1,"two"]},"id":1}""");
        reply.IsSuccess.ShouldBeTrue();
        var map = reply.Value.ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        map["s"].ShouldBe("x");
        map["i"].ShouldBe(5L);
        map["f"].ShouldBe(0.5);
        map["b"].ShouldBe(true);
        map["n"].ShouldBeNull();
        map["a"].ShouldBe(new object?[] { 1L, "two" });
    }

    [Fact]
    public void DecodeResponse_Version2Error()
    {
        var reply = JsonRpcCodec.DecodeResponse("""{"jsonrpc":"2.0","error":{"code":1,"message":"SESSION_INVALID","data":["OpaqueRef:s"]},"id":3}""");
        reply.IsSuccess.ShouldBeFalse();
        reply.ErrorCode.ShouldBe("SESSION_INVALID");
        reply.ErrorParameters.ShouldBe(["OpaqueRef:s"]);
    }

    [Fact]
    public void DecodeResponse_Version1Error()
    {
        var reply = JsonRpcCodec.DecodeResponse("""{"result":null,"error":["VM_BAD_POWER_STATE","OpaqueRef:vm","halted","running"],"id":3}""");
        reply.ErrorCode.ShouldBe("VM_BAD_POWER_STATE");
        reply.ErrorParameters.ShouldBe(["OpaqueRef:vm", "halted", "running"]);
    }

    [Fact]
    public void DecodeResponse_Version1NullErrorWithResult_IsSuccess()
    {
        var reply = JsonRpcCodec.DecodeResponse("""{"result":"OpaqueRef:x","error":null,"id":3}""");
        reply.IsSuccess.ShouldBeTrue();
        reply.Value.ShouldBe("OpaqueRef:x");
    }

    [Fact]
    public void DecodeResponse_ErrorWithoutData_HasNoParameters()
    {
        var reply = JsonRpcCodec.DecodeResponse("""{"jsonrpc":"2.0","error":{"code":1,"message":"EVENTS_LOST"},"id":3}""");
        reply.ErrorCode.ShouldBe("EVENTS_LOST");
        reply.ErrorParameters.ShouldBeEmpty();
    }

    [Fact]
    public void DecodeResponse_NeitherResultNorError_Throws()
    {
        Should.Throw<InvalidDataException>(() => JsonRpcCodec.DecodeResponse("""{"jsonrpc":"2.0","id":3}"""));
    }
}
