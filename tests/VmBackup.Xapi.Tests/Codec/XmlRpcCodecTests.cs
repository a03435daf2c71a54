using System.Text;
using System.Xml.Linq;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Rpc;

namespace VmBackup.Xapi.Tests.Codec;

public sealed class XmlRpcCodecTests
{
    private static object? Value(string inner) => XmlRpcCodec.DecodeValueText("<value>" + inner + "</value>");

    [Fact]
    public void DecodeValue_BareText_IsString()
    {
        Value("OpaqueRef:abc").ShouldBe("OpaqueRef:abc");
    }

    [Fact]
    public void DecodeValue_BareText_KeepsSurroundingWhitespace()
    {
        Value("  two words ").ShouldBe("  two words ");
    }

    [Fact]
    public void DecodeValue_EmptyValue_IsEmptyString()
    {
        XmlRpcCodec.DecodeValue(XElement.Parse("<value></value>")).ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData("<i4>-42</i4>", -42L)]
    [InlineData("<int>7</int>", 7L)]
    [InlineData("<i8>9223372036854775807</i8>", long.MaxValue)]
    public void DecodeValue_IntegerTags_AreInt64(string inner, long expected)
    {
        Value(inner).ShouldBe(expected);
    }

    [Fact]
    public void DecodeValue_Int64AsBareString_StaysStringUntilTyped()
    {
        // XAPI sends int64 as a bare string; the typed layer converts by declared type.
        Value("8589934592").ShouldBe("8589934592");
    }

    [Theory]
    [InlineData("<boolean>1</boolean>", true)]
    [InlineData("<boolean>0</boolean>", false)]
    public void DecodeValue_Boolean(string inner, bool expected)
    {
        Value(inner).ShouldBe(expected);
    }

    [Fact]
    public void DecodeValue_Double()
    {
        Value("<double>0.3333333333333333</double>").ShouldBe(0.3333333333333333);
    }

    [Fact]
    public void DecodeValue_DateTime_IsUtc()
    {
        var value = Value("<dateTime.iso8601>20240229T23:59:58Z</dateTime.iso8601>").ShouldBeOfType<DateTime>();
        value.ShouldBe(new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc));
        value.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public void DecodeValue_StringTagWithEscapes()
    {
        Value("<string>a &lt;b&gt; &amp; \"c\"</string>").ShouldBe("a <b> & \"c\"");
    }

    [Fact]
    public void DecodeValue_ArrayOfMixedValues()
    {
        var array = Value("<array><data><value>x</value><value><i4>1</i4></value><value></value></data></array>").ShouldBeOfType<object?[]>();
        array.ShouldBe(new object?[] { "x", 1L, string.Empty });
    }

    [Fact]
    public void DecodeValue_EmptyArray()
    {
        Value("<array><data></data></array>").ShouldBeOfType<object?[]>().ShouldBeEmpty();
    }

    [Fact]
    public void DecodeValue_NestedStruct()
    {
        var map = Value("<struct><member><name>k</name><value>v</value></member><member><name>inner</name><value><struct><member><name>n</name><value><boolean>1</boolean></value></member></struct></value></member></struct>")
            .ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        map["k"].ShouldBe("v");
        map["inner"].ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!["n"].ShouldBe(true);
    }

    [Fact]
    public void DecodeValue_WhitespaceBetweenElements_IsIgnored()
    {
        var array = Value("\n  <array>\n <data>\n <value>a</value>\n </data>\n </array>\n").ShouldBeOfType<object?[]>();
        array.ShouldBe(new object?[] { "a" });
    }

    [Fact]
    public void DecodeValue_Base64()
    {
        Value("<base64>AQID</base64>").ShouldBe(new byte[] { 1, 2, 3 });
    }

    [Fact]
    public void DecodeValue_UnknownTag_Throws()
    {
        Should.Throw<InvalidDataException>(() => Value("<float>1</float>"));
    }

    [Fact]
    public void DecodeValueText_Empty_IsVoid()
    {
        XmlRpcCodec.DecodeValueText(string.Empty).ShouldBeNull();
    }

    [Fact]
    public void DecodeResponse_Success_ReturnsValue()
    {
        var reply = XmlRpcCodec.DecodeResponse("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value>OpaqueRef:1</value></member></struct></value></param></params></methodResponse>");
        reply.IsSuccess.ShouldBeTrue();
        reply.Value.ShouldBe("OpaqueRef:1");
    }

    [Fact]
    public void DecodeResponse_SuccessVoid_IsEmptyString()
    {
        var reply = XmlRpcCodec.DecodeResponse("<methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value></value></member></struct></value></param></params></methodResponse>");
        reply.IsSuccess.ShouldBeTrue();
        reply.Value.ShouldBe(string.Empty);
    }

    [Fact]
    public void DecodeResponse_Failure_CarriesCodeAndParameters()
    {
        var reply = XmlRpcCodec.DecodeResponse("<methodResponse><params><param><value><struct><member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name><value><array><data><value>HANDLE_INVALID</value><value>VM</value><value>OpaqueRef:x</value></data></array></value></member></struct></value></param></params></methodResponse>");
        reply.IsSuccess.ShouldBeFalse();
        reply.ErrorCode.ShouldBe("HANDLE_INVALID");
        reply.ErrorParameters.ShouldBe(["VM", "OpaqueRef:x"]);
    }

    [Fact]
    public void DecodeResponse_BareValue_FromSystemMethods()
    {
        var reply = XmlRpcCodec.DecodeResponse("<methodResponse><params><param><value><array><data><value>VM.get_all_records</value></data></array></value></param></params></methodResponse>");
        reply.Value.ShouldBe(new object?[] { "VM.get_all_records" });
    }

    [Fact]
    public void DecodeResponse_Fault_BecomesXmlRpcFault()
    {
        var reply = XmlRpcCodec.DecodeResponse("<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value><string>Too many parameters.</string></value></member></struct></value></fault></methodResponse>");
        reply.ErrorCode.ShouldBe(XenApiErrorCodes.XmlRpcFault);
        reply.ErrorParameters.ShouldBe(["4", "Too many parameters."]);
    }

    [Fact]
    public void DecodeResponse_NotAMethodResponse_Throws()
    {
        Should.Throw<InvalidDataException>(() => XmlRpcCodec.DecodeResponse("<html><body>500</body></html>"));
    }

    [Fact]
    public void EncodeRequest_WritesEveryArgumentType()
    {
        var vm = new XenRef<VmRecord>("OpaqueRef:vm");
        var when = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var bytes = XmlRpcCodec.EncodeRequest("X.y", [
            "s<&>", 8589934592L, 42, true, 30.1, when, vm, VmPowerState.Halted, VdiType.CbtMetadata,
            new[] { "a", "b" }, new Dictionary<string, string> { ["k"] = "v" }, null, default(XenRef<VmRecord>),
        ]);
        var document = XDocument.Parse(Encoding.UTF8.GetString(bytes));
        document.Root!.Name.LocalName.ShouldBe("methodCall");
        document.Root.Element("methodName")!.Value.ShouldBe("X.y");
        var values = document.Root.Element("params")!.Elements("param").Select(p => p.Element("value")!).ToArray();
        values[0].Element("string")!.Value.ShouldBe("s<&>");
        values[1].Value.ShouldBe("8589934592");
        values[1].HasElements.ShouldBeFalse();
        values[2].Value.ShouldBe("42");
        values[3].Element("boolean")!.Value.ShouldBe("1");
        values[4].Element("double")!.Value.ShouldBe("30.1");
        values[5].Element("dateTime.iso8601")!.Value.ShouldBe("20250102T03:04:05Z");
        values[6].Value.ShouldBe("OpaqueRef:vm");
        values[7].Value.ShouldBe("Halted");
        values[8].Value.ShouldBe("cbt_metadata");
        values[9].Element("array")!.Element("data")!.Elements("value").Select(v => v.Value).ShouldBe(["a", "b"]);
        var member = values[10].Element("struct")!.Element("member")!;
        member.Element("name")!.Value.ShouldBe("k");
        member.Element("value")!.Value.ShouldBe("v");
        values[11].Value.ShouldBe(string.Empty);
        values[12].Value.ShouldBe("OpaqueRef:NULL");
    }

    [Fact]
    public void EncodeRequest_RoundTripsThroughDecoder()
    {
        var bytes = XmlRpcCodec.EncodeRequest("m", [new Dictionary<string, object?> { ["list"] = new object[] { 1L, "x", false } }]);
        var value = XDocument.Parse(Encoding.UTF8.GetString(bytes)).Descendants("param").Single().Element("value")!;
        var decoded = XmlRpcCodec.DecodeValue(value).ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        decoded["list"].ShouldBe(new object?[] { "1", "x", false });
    }
}
