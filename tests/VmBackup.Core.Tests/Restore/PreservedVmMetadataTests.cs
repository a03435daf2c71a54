using System.Text;
using VmBackup.Core.Restore;
using VmBackup.Formats.Tar;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;

namespace VmBackup.Core.Tests.Restore;

public sealed class PreservedVmMetadataTests
{
    private const string XvdaUuid = "aaaaaaaa-0000-0000-0000-000000000003";

    [Fact]
    public void From_KeepsTheVmXvdaCdAndRestoredVifs_AndDropsSnapshotsAndUnsavedDisks()
    {
        var preserved = PreservedVmMetadata.From(Backup(), Disk(XvdaUuid), "restored", new HashSet<string> { "0" }).ShouldNotBeNull();

        preserved.XvdaVdiUuid.ShouldBe(XvdaUuid);
        preserved.Metadata.Objects.Select(o => o.Id).Order(StringComparer.Ordinal)
            .ShouldBe(new[] { "Ref:1", "Ref:2", "Ref:20", "Ref:21", "Ref:3", "Ref:30", "Ref:6", "Ref:7", "Ref:8", "Ref:9" }.Order(StringComparer.Ordinal));
        var vm = preserved.Metadata.Vm.ShouldNotBeNull();
        vm.GetString("uuid").ShouldBe("11111111-2222-3333-4444-555555555555");
        vm.GetString("name_label").ShouldBe("restored");
        vm.GetString("power_state").ShouldBe("Halted");
        vm.Snapshot["is_a_template"]!.AsBoolean().ShouldBeFalse();
        vm.GetRefs("VBDs").ShouldBe(["Ref:2", "Ref:6"]);
        vm.GetRefs("VIFs").ShouldBe(["Ref:20"]);
        vm.GetRefs("snapshots").ShouldBeEmpty();
        preserved.Metadata.Vbds.ShouldAllBe(b => !b.Snapshot["currently_attached"]!.AsBoolean());
        preserved.Metadata.Vifs.Single().GetString("MAC").ShouldBe("aa:bb:cc:00:00:01");
    }

    [Fact]
    public void From_FindsXvdaByItsUserdevice_WhenVdiCfgHasNoOrigUuid_AndGivesUpWithoutIt()
    {
        PreservedVmMetadata.From(Backup(), Disk(string.Empty), "r", new HashSet<string>()).ShouldNotBeNull().XvdaVdiUuid.ShouldBe(XvdaUuid);
        PreservedVmMetadata.From(Backup(), Disk(string.Empty) with { UserDevice = "7" }, "r", new HashSet<string>()).ShouldBeNull();
    }

    [Fact]
    public async Task ToTarAsync_IsOneOvaXmlEntry_ThatParsesBack()
    {
        var preserved = PreservedVmMetadata.From(Backup(), Disk(XvdaUuid), "restored", new HashSet<string>()).ShouldNotBeNull();

        var tar = await preserved.ToTarAsync(1_700_000_000, CancellationToken.None);

        var reader = new TarReader(new MemoryStream(tar));
        var entry = (await reader.ReadNextEntryAsync(CancellationToken.None)).ShouldNotBeNull();
        entry.Name.ShouldBe("ova.xml");
        var bytes = new byte[entry.Size];
        await reader.ReadDataExactlyAsync(bytes, CancellationToken.None);
        OvaXml.Parse(Encoding.UTF8.GetString(bytes)).Vm!.GetString("name_label").ShouldBe("restored");
        (await reader.ReadNextEntryAsync(CancellationToken.None)).ShouldBeNull();
    }

    private static RestoreDisk Disk(string originalUuid) =>
        new("DISK-xvda", "0", true, false, "disk 0", string.Empty, 1L << 30, "system", false, false, originalUuid);

    private static OvaXml Backup()
    {
        static XmlRpcValue S(string text) => XmlRpcValue.FromString(text);
        static XmlRpcValue Refs(params string[] refs) => XmlRpcValue.FromArray(refs.Select(XmlRpcValue.FromString));
        static OvaObject Vbd(string id, string vm, string vdi, string device, string type) => new("VBD", id, XmlRpcValue.FromStruct(
            ("uuid", S("vbd-" + id)), ("VM", S(vm)), ("VDI", S(vdi)), ("userdevice", S(device)), ("type", S(type)), ("currently_attached", XmlRpcValue.FromBoolean(true))));
        static OvaObject Vdi(string id, string uuid, string sr) => new("VDI", id, XmlRpcValue.FromStruct(("uuid", S(uuid)), ("SR", S(sr)), ("location", S(uuid))));
        static OvaObject Vif(string id, string device, string network, string mac) => new("VIF", id, XmlRpcValue.FromStruct(
            ("VM", S("Ref:1")), ("device", S(device)), ("network", S(network)), ("MAC", S(mac)), ("currently_attached", XmlRpcValue.FromBoolean(true))));
        return new OvaXml(
            new OvaVersion("host", "2025-03-01", "8.2.1", "XCP-ng", "release/yangtze", 1, 20),
            [
                new("VM", "Ref:1", XmlRpcValue.FromStruct(
                    ("uuid", S("11111111-2222-3333-4444-555555555555")), ("name_label", S("PROD-db")), ("power_state", S("Running")),
                    ("is_a_template", XmlRpcValue.FromBoolean(false)), ("is_a_snapshot", XmlRpcValue.FromBoolean(false)),
                    ("VBDs", Refs("Ref:2", "Ref:4", "Ref:6")), ("VIFs", Refs("Ref:20", "Ref:22")), ("snapshots", Refs("Ref:10")),
                    ("metrics", S("Ref:30")))),
                Vbd("Ref:2", "Ref:1", "Ref:3", "0", "Disk"),
                Vdi("Ref:3", XvdaUuid, "Ref:9"),
                Vbd("Ref:4", "Ref:1", "Ref:5", "1", "Disk"),
                Vdi("Ref:5", "aaaaaaaa-0000-0000-0000-000000000005", "Ref:9"),
                Vbd("Ref:6", "Ref:1", "Ref:7", "3", "CD"),
                Vdi("Ref:7", "aaaaaaaa-0000-0000-0000-000000000007", "Ref:8"),
                new("SR", "Ref:8", XmlRpcValue.FromStruct(("uuid", S("iso-sr")), ("content_type", S("iso")))),
                new("SR", "Ref:9", XmlRpcValue.FromStruct(("uuid", S("local-sr")), ("content_type", S("user")))),
                new("VM", "Ref:10", XmlRpcValue.FromStruct(("uuid", S("snap")), ("is_a_snapshot", XmlRpcValue.FromBoolean(true)), ("VBDs", Refs("Ref:11")))),
                Vbd("Ref:11", "Ref:10", "Ref:12", "0", "Disk"),
                Vdi("Ref:12", "aaaaaaaa-0000-0000-0000-000000000012", "Ref:9"),
                Vif("Ref:20", "0", "Ref:21", "aa:bb:cc:00:00:01"),
                new("network", "Ref:21", XmlRpcValue.FromStruct(("name_label", S("Pool-wide network associated with eth0")))),
                Vif("Ref:22", "1", "Ref:23", "aa:bb:cc:00:00:02"),
                new("network", "Ref:23", XmlRpcValue.FromStruct(("name_label", S("backup")))),
                new("VM_metrics", "Ref:30", XmlRpcValue.FromStruct(("uuid", S("metrics")))),
            ]);
    }
}
