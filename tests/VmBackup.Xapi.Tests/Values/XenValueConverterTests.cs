using VmBackup.Xapi.Records;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Tests.Values;

public sealed class XenValueConverterTests
{
    [Theory]
    [InlineData("8589934592", 8589934592L)]
    [InlineData("-1", -1L)]
    public void Int64_FromXmlRpcString(string raw, long expected)
    {
        XenValueConverter.Convert<long>(raw).ShouldBe(expected);
    }

    [Fact]
    public void Int64_FromWholeDouble()
    {
        XenValueConverter.Convert<long>(4.0).ShouldBe(4L);
    }

    [Fact]
    public void Int64_FromText_Throws()
    {
        Should.Throw<InvalidDataException>(() => XenValueConverter.Convert<long>("twelve"));
    }

    [Fact]
    public void Double_FromJsonInteger()
    {
        XenValueConverter.Convert<double>(1L).ShouldBe(1.0);
    }

    [Fact]
    public void DateTime_FromJsonString_IsUtc()
    {
        var value = XenValueConverter.Convert<DateTime>("19700101T00:00:00Z");
        value.ShouldBe(DateTime.UnixEpoch);
        value.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Theory]
    [InlineData("Halted", VmPowerState.Halted)]
    [InlineData("halted", VmPowerState.Halted)]
    [InlineData("Migrating", VmPowerState.Unknown)]
    public void Enum_ParsesWireNameWithUnknownFallback(string raw, VmPowerState expected)
    {
        XenValueConverter.Convert<VmPowerState>(raw).ShouldBe(expected);
    }

    [Theory]
    [InlineData("cbt_metadata", VdiType.CbtMetadata)]
    [InlineData("ha_statefile", VdiType.HaStatefile)]
    [InlineData("RO", (VdiType)0)]
    public void Enum_SnakeCaseNames(string raw, VdiType expected)
    {
        XenValueConverter.Convert<VdiType>(raw).ShouldBe(expected);
    }

    [Theory]
    [InlineData("OpaqueRef:NULL", true)]
    [InlineData("", true)]
    [InlineData("OpaqueRef:1234", false)]
    public void Ref_NullForms(string raw, bool isNull)
    {
        var reference = XenValueConverter.Convert<XenRef<VmRecord>>(raw);
        reference.IsNull.ShouldBe(isNull);
        (reference == default).ShouldBe(isNull);
    }

    [Fact]
    public void RefMap_FromGetAllRecords()
    {
        var raw = new Dictionary<string, object?>
        {
            ["OpaqueRef:a"] = new Dictionary<string, object?> { ["uuid"] = "u-a", ["power_state"] = "Running" },
            ["OpaqueRef:b"] = new Dictionary<string, object?> { ["uuid"] = "u-b", ["power_state"] = "Halted" },
        };
        var records = XenValueConverter.Convert<IReadOnlyDictionary<XenRef<VmRecord>, VmRecord>>(raw);
        records.Count.ShouldBe(2);
        records[new XenRef<VmRecord>("OpaqueRef:b")].PowerState.ShouldBe(VmPowerState.Halted);
    }

    [Fact]
    public void Record_ToleratesExtraAndMissingFields()
    {
        var raw = new Dictionary<string, object?>
        {
            ["uuid"] = "vdi-1",
            ["virtual_size"] = "10737418240",
            ["type"] = "user",
            ["cbt_enabled"] = true,
            ["a_field_from_the_future"] = new object?[] { "x" },
        };
        var vdi = XenValueConverter.Convert<VdiRecord>(raw);
        vdi.Uuid.ShouldBe("vdi-1");
        vdi.VirtualSize.ShouldBe(10737418240L);
        vdi.Type.ShouldBe(VdiType.User);
        vdi.CbtEnabled.ShouldBeTrue();
        vdi.Sr.IsNull.ShouldBeTrue();
        vdi.SmConfig.ShouldBeEmpty();
        vdi.SnapshotTime.ShouldBe(DateTime.UnixEpoch);
    }

    [Fact]
    public void Record_WrongShape_NamesTheField()
    {
        var raw = new Dictionary<string, object?> { ["memory_static_max"] = new object?[] { 1L } };
        var e = Should.Throw<InvalidDataException>(() => XenValueConverter.Convert<VmRecord>(raw));
        e.Message.ShouldContain("VM.memory_static_max");
    }

    [Fact]
    public void VmRecord_ReadsTheBackupFields()
    {
        var raw = new Dictionary<string, object?>
        {
            ["uuid"] = "vm-1",
            ["name_label"] = "web",
            ["power_state"] = "Suspended",
            ["is_a_snapshot"] = true,
            ["is_a_template"] = true,
            ["snapshot_of"] = "OpaqueRef:src",
            ["snapshot_time"] = new DateTime(2025, 5, 6, 7, 8, 9, DateTimeKind.Utc),
            ["snapshot_info"] = new Dictionary<string, object?> { ["power-state-at-snapshot"] = "Running" },
            ["VBDs"] = new object?[] { "OpaqueRef:vbd1", "OpaqueRef:vbd2" },
            ["memory_static_max"] = "4294967296",
            ["VCPUs_max"] = "4",
            ["tags"] = new object?[] { "daily" },
            ["domain_type"] = "pv_in_pvh",
            ["suspend_VDI"] = "OpaqueRef:NULL",
        };
        var vm = VmRecord.FromStruct(raw);
        vm.PowerState.ShouldBe(VmPowerState.Suspended);
        vm.SnapshotOf.ShouldBe(new XenRef<VmRecord>("OpaqueRef:src"));
        vm.SnapshotTime.Year.ShouldBe(2025);
        vm.SnapshotInfo["power-state-at-snapshot"].ShouldBe("Running");
        vm.Vbds.Select(v => v.OpaqueRef).ShouldBe(["OpaqueRef:vbd1", "OpaqueRef:vbd2"]);
        vm.MemoryStaticMax.ShouldBe(4294967296L);
        vm.VcpusMax.ShouldBe(4L);
        vm.Tags.ShouldBe(["daily"]);
        vm.DomainType.ShouldBe(VmDomainType.PvInPvh);
        vm.SuspendVdi.IsNull.ShouldBeTrue();
    }

    [Fact]
    public void Bytes_FromBase64()
    {
        XenValueConverter.Convert<byte[]>("gAE=").ShouldBe(new byte[] { 0x80, 0x01 });
    }

    [Fact]
    public void TaskResult_RefSet()
    {
        var raw = XenApiSession.DecodeTaskResult("<value><array><data><value>OpaqueRef:a</value><value>OpaqueRef:b</value></data></array></value>");
        XenValueConverter.Convert<IReadOnlyList<XenRef<VmRecord>>>(raw).Select(r => r.OpaqueRef).ShouldBe(["OpaqueRef:a", "OpaqueRef:b"]);
    }

    [Fact]
    public void TaskResult_VoidIsNull()
    {
        XenApiSession.DecodeTaskResult(string.Empty).ShouldBeNull();
    }
}
