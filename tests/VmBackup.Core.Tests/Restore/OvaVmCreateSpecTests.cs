using VmBackup.Core.Restore;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;

namespace VmBackup.Core.Tests.Restore;

public sealed class OvaVmCreateSpecTests
{
    [Fact]
    public void Build_TakesSettingsFromTheSavedRecord_AndNoReferences()
    {
        var vm = new OvaObject("VM", "Ref:1", XmlRpcValue.FromStruct(
            ("uuid", XmlRpcValue.FromString("11111111-2222-3333-4444-555555555555")),
            ("name_label", XmlRpcValue.FromString("DEV 1")),
            ("memory_static_max", XmlRpcValue.FromInt64(2L << 30)),
            ("VCPUs_max", XmlRpcValue.FromInt64(4)),
            ("HVM_boot_policy", XmlRpcValue.FromString("BIOS order")),
            ("platform", XmlRpcValue.FromStruct(("viridian", XmlRpcValue.FromString("true")))),
            ("other_config", XmlRpcValue.FromStruct(("mac_seed", XmlRpcValue.FromString("abc")), ("folder", XmlRpcValue.FromString("/x")))),
            ("VBDs", XmlRpcValue.FromArray([XmlRpcValue.FromString("Ref:2")])),
            ("resident_on", XmlRpcValue.FromString("Ref:9")),
            ("is_a_template", XmlRpcValue.FromBoolean(true))));

        var spec = OvaVmCreateSpec.Build(vm, "restored", keepMacSeed: false);
        var preserved = OvaVmCreateSpec.Build(vm, "restored", keepMacSeed: true);

        spec["name_label"].ShouldBe("restored");
        spec["memory_static_max"].ShouldBe(2L << 30);
        spec["VCPUs_max"].ShouldBe(4L);
        spec["HVM_boot_policy"].ShouldBe("BIOS order");
        spec["is_a_template"].ShouldBe(false);
        ((Dictionary<string, string>)spec["platform"]!)["viridian"].ShouldBe("true");
        ((Dictionary<string, string>)spec["other_config"]!).ShouldNotContainKey("mac_seed");
        ((Dictionary<string, string>)preserved["other_config"]!)["mac_seed"].ShouldBe("abc");
        spec.ShouldNotContainKey("VBDs");
        spec.ShouldNotContainKey("resident_on");
        spec.ShouldNotContainKey("uuid");
    }
}
