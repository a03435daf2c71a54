using System.Text;
using VmBackup.Core.PoolDb;

namespace VmBackup.Core.Tests.PoolDb;

/// <summary>Checks of a pool database dump's structure.</summary>
public sealed class PoolDbDumpInspectorTests
{
    private const string Dump = """
        <?xml version="1.0" encoding="utf-8"?>
        <database>
          <manifest><pair key="schema_major_vsn" value="5"/><pair key="schema_minor_vsn" value="786"/><pair key="generation_count" value="42"/></manifest>
          <table name="pool"><row ref="OpaqueRef:p" uuid="pool-uuid" name__label="prod" master="OpaqueRef:h1"/></table>
          <table name="host">
            <row ref="OpaqueRef:h1" uuid="host-1" name__label="xs1" address="10.0.0.1"/>
            <row ref="OpaqueRef:h2" uuid="host-2" name__label="xs2" address="10.0.0.2"/>
          </table>
          <table name="SR">
            <row ref="OpaqueRef:local" uuid="sr-l" name__label="Local storage" shared="false"/>
            <row ref="OpaqueRef:nfs" uuid="sr-n" name__label="NFS" shared="true"/>
          </table>
          <table name="VDI">
            <row ref="OpaqueRef:d1" SR="OpaqueRef:local"/>
            <row ref="OpaqueRef:d2" SR="OpaqueRef:nfs"/>
          </table>
          <table name="VM">
            <row ref="OpaqueRef:v1" uuid="vm-1" name__label="on-local" power_state="Suspended" suspend_VDI="OpaqueRef:d1"/>
            <row ref="OpaqueRef:v2" uuid="vm-2" name__label="on-nfs" power_state="Suspended" suspend_VDI="OpaqueRef:d2"/>
            <row ref="OpaqueRef:v3" uuid="vm-3" name__label="running" power_state="Running" suspend_VDI="OpaqueRef:NULL"/>
          </table>
          <table name="task"/>
        </database>
        """;

    [Fact]
    public void ValidDump_IsSummarised()
    {
        var summary = Inspect(Dump);

        summary.SchemaMajor.ShouldBe(5);
        summary.SchemaMinor.ShouldBe(786);
        summary.GenerationCount.ShouldBe("42");
        summary.PoolUuid.ShouldBe("pool-uuid");
        summary.PoolName.ShouldBe("prod");
        summary.Tables.ShouldBe(6);
        summary.Hosts.ShouldBe([new PoolDbDumpHost("host-1", "xs1", "10.0.0.1", true), new PoolDbDumpHost("host-2", "xs2", "10.0.0.2", false)]);
        summary.SuspendedVmsOnLocalStorage.ShouldBe([new PoolDbSuspendedVm("vm-1", "on-local", "Local storage")]);
    }

    [Theory]
    [InlineData("", "bad XML")]
    [InlineData("<database><manifest>", "bad XML")]
    [InlineData("<!DOCTYPE database [<!ENTITY x \"y\">]><database/>", "bad XML")]
    [InlineData("<db/>", "the root element is <db>, not <database>")]
    [InlineData("<database/>", "no <manifest> with schema_major_vsn")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"five\"/><pair key=\"schema_minor_vsn\" value=\"1\"/></manifest></database>", "is not numeric")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"6\"/><pair key=\"schema_minor_vsn\" value=\"0\"/></manifest></database>", "schema version 6.0 is not supported (expected 5.x)")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"5\"/><pair key=\"schema_minor_vsn\" value=\"0\"/></manifest><table name=\"pool\"><row uuid=\"x\"/></table></database>", "a row of table pool has no ref")]
    [InlineData("<database><manifest><pair key=\"schema_major_vsn\" value=\"5\"/><pair key=\"schema_minor_vsn\" value=\"0\"/></manifest><table name=\"pool\"><row ref=\"p\"/></table></database>", "no host rows")]
    public void BrokenDumps_AreRefusedWithTheirReason(string content, string reason)
    {
        Should.Throw<PoolDbException>(() => Inspect(content)).Message.ShouldContain(reason);
    }

    private static PoolDbDumpSummary Inspect(string content) => PoolDbDumpInspector.Inspect(new MemoryStream(Encoding.UTF8.GetBytes(content)));
}
