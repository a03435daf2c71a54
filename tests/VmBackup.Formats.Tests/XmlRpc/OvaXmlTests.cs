using VmBackup.Formats.Tests.Xva;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests.XmlRpc;

public class OvaXmlTests
{
    [Fact]
    public void ToXml_UsesXapiEncoding()
    {
        var ova = new OvaXml(
            new OvaVersion("h", "2017-02-16", "7.1", "XenServer", "137272c", 1, 10, 2),
            [new OvaObject("VDI", "Ref:3", XmlRpcValue.FromStruct(
                ("name_label", XmlRpcValue.FromString("a<b>&\"c\"\u0001\tz")),
                ("virtual_size", XmlRpcValue.FromInt64(10737418240)),
                ("sharable", XmlRpcValue.FromBoolean(false)),
                ("physical_utilisation", XmlRpcValue.FromDouble(0.5)),
                ("snapshot_time", XmlRpcValue.FromDateTime(new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc))),
                ("VBDs", XmlRpcValue.FromArray([XmlRpcValue.FromString("Ref:1")])),
                ("other_config", XmlRpcValue.FromStruct())))]);

        ova.ToXml().ShouldBe(
            "<value><struct>" +
            "<member><name>version</name><value><struct>" +
            "<member><name>hostname</name><value>h</value></member>" +
            "<member><name>date</name><value>2017-02-16</value></member>" +
            "<member><name>product_version</name><value>7.1</value></member>" +
            "<member><name>product_brand</name><value>XenServer</value></member>" +
            "<member><name>build_number</name><value>137272c</value></member>" +
            "<member><name>xapi_major</name><value>1</value></member>" +
            "<member><name>xapi_minor</name><value>10</value></member>" +
            "<member><name>export_vsn</name><value>2</value></member>" +
            "</struct></value></member>" +
            "<member><name>objects</name><value><array><data><value><struct>" +
            "<member><name>class</name><value>VDI</value></member>" +
            "<member><name>id</name><value>Ref:3</value></member>" +
            "<member><name>snapshot</name><value><struct>" +
            "<member><name>name_label</name><value>a&lt;b&gt;&amp;&quot;c&quot;\tz</value></member>" +
            "<member><name>virtual_size</name><value>10737418240</value></member>" +
            "<member><name>sharable</name><value><boolean>0</boolean></value></member>" +
            "<member><name>physical_utilisation</name><value><double>0.5</double></value></member>" +
            "<member><name>snapshot_time</name><value><dateTime.iso8601>20240304T05:06:07Z</dateTime.iso8601></value></member>" +
            "<member><name>VBDs</name><value><array><data><value>Ref:1</value></data></array></value></member>" +
            "<member><name>other_config</name><value><struct></struct></value></member>" +
            "</struct></value></member>" +
            "</struct></value></data></array></value></member>" +
            "</struct></value>");
    }

    [Fact]
    public void Parse_OfToXml_RoundTrips()
    {
        var ova = XvaTestData.Metadata([("Ref:5", 123456789L), ("Ref:6", 1L << 40)]);
        var parsed = OvaXml.Parse(ova.ToXml());
        parsed.ToXml().ShouldBe(ova.ToXml());
        parsed.Version.ShouldBe(ova.Version);
        parsed.Vm!.Id.ShouldBe("Ref:0");
        parsed.Vm.GetString("name_label").ShouldBe("test <vm> & \"quotes\"");
        parsed.Vbds.Select(v => v.GetString("VDI")).ShouldBe(["Ref:5", "Ref:6"]);
        parsed.GetVdiVirtualSize("Ref:6").ShouldBe(1L << 40);
        parsed.GetVdiVirtualSize("Ref:7").ShouldBeNull();
        parsed.Srs.Single().Id.ShouldBe("Ref:2000");
        parsed.Vm.GetRefs("VBDs").Count.ShouldBe(2);
    }

    [Fact]
    public void Parse_AcceptsTypedTagsAndWhitespace()
    {
        const string Xml = """
            <?xml version="1.0"?>
            <value><struct>
              <member><name>version</name><value><struct>
                <member><name>hostname</name><value><string>h</string></value></member>
                <member><name>date</name><value>d</value></member>
                <member><name>product_version</name><value>8.2.1</value></member>
                <member><name>product_brand</name><value>XCP-ng</value></member>
                <member><name>build_number</name><value>b</value></member>
                <member><name>xapi_major</name><value><i4>1</i4></value></member>
                <member><name>xapi_minor</name><value><int>20</int></value></member>
                <member><name>export_vsn</name><value><i8>2</i8></value></member>
              </struct></value></member>
              <member><name>objects</name><value><array><data>
                <value><struct>
                  <member><name>class</name><value>VDI</value></member>
                  <member><name>id</name><value>Ref:001</value></member>
                  <member><name>snapshot</name><value><struct>
                    <member><name>virtual_size</name><value><i8>4096</i8></value></member>
                    <member><name>name_label</name><value/></member>
                  </struct></value></member>
                </struct></value>
              </data></array></value></member>
            </struct></value>
            """;
        var ova = OvaXml.Parse(Xml);
        ova.Version.XapiMinor.ShouldBe(20);
        ova.Version.ProductBrand.ShouldBe("XCP-ng");
        ova.GetVdiVirtualSize("Ref:001").ShouldBe(4096);
        ova.Vdis.Single().GetString("name_label").ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData("<value><array><data></data></array></value>", "top-level value is a Array")]
    [InlineData("<value><struct><member><name>objects</name><value><array><data></data></array></value></member></struct></value>", "missing 'version'")]
    [InlineData("<value><struct><member", "not well-formed XML at line 1")]
    [InlineData("<value><boolean>2</boolean></value>", "invalid boolean '2'")]
    public void Parse_Invalid_SaysWhatIsWrong(string xml, string expected)
    {
        var e = Should.Throw<FormatException>(() => OvaXml.Parse(xml));
        e.Message.ShouldContain(expected);
    }

    [Fact]
    public void XmlRpcValue_ParsesEveryKind()
    {
        var v = XmlRpcValueParser.Parse("<value><struct><member><name>d</name><value><dateTime.iso8601>19700101T00:00:00Z</dateTime.iso8601></value></member><member><name>x</name><value><double>1.25</double></value></member></struct></value>");
        v["d"]!.DateTime.ShouldBe(DateTime.UnixEpoch);
        v["x"]!.Double.ShouldBe(1.25);
        v["missing"].ShouldBeNull();
        v.WithMember("x", XmlRpcValue.FromInt64(3))["x"]!.AsInt64().ShouldBe(3);
    }
}
