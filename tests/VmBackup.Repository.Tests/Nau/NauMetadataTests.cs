using System.Text;
using System.Xml;
using VmBackup.Repository.Nau;
using VmBackup.Repository.Nau.Metadata;

namespace VmBackup.Repository.Tests.Nau;

public sealed class NauMetadataTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly NauVbdRecord Vbd = new("0", true, "RW", "Disk", false, false, "a1b2-vbd");
    private static readonly NauVdiRecord Vdi = new("DEV-1 disk é", "data \"disk\"", 10737418240, "user", false, false, "c3d4-vdi", "e5f6-sr");

    [Fact]
    public void FormatVbd_IsV325Format()
    {
        NauCfgFormatter.FormatVbd(Vbd).ShouldBe(
            "userdevice=0\nbootable=True\nmode=RW\ntype=Disk\nunpluggable=False\nempty=False\norig_uuid=a1b2-vbd\n");
    }

    [Fact]
    public void FormatVdi_IsV325Format()
    {
        NauCfgFormatter.FormatVdi(Vdi with { ReadOnly = true }).ShouldBe(
            "name_label=DEV-1 disk é\nname_description=data \"disk\"\nvirtual_size=10737418240\ntype=user\nsharable=False\nread_only=True\norig_uuid=c3d4-vdi\norig_sr_uuid=e5f6-sr\n");
    }

    [Fact]
    public void FormatVif_IsV325Format()
    {
        var vif = new NauVifRecord("0", "Pool-wide network associated with eth0", 1500, "aa:bb:cc:dd:ee:ff", [new("ethtool-tx", "off")], "f00d-vif");
        NauCfgFormatter.FormatVif(vif).ShouldBe(
            "device=0\nnetwork_name_label=Pool-wide network associated with eth0\nMTU=1500\nMAC=aa:bb:cc:dd:ee:ff\nother_config={'ethtool-tx': 'off'}\norig_uuid=f00d-vif\n");
    }

    // Expected values printed by CPython 2.7.18 (UCS4): repr() of a dict built in this insertion order, with ASCII
    // strings as str and others as unicode (what xmlrpclib returns).
    [Theory]
    [MemberData(nameof(DictCases))]
    public void DictRepr_MatchesPython27(KeyValuePair<string, string>[] items, string expected)
    {
        var vif = new NauVifRecord("1", "n", 9000, "m", items, "u");
        NauCfgFormatter.FormatVif(vif).Split('\n')[4].ShouldBe("other_config=" + expected);
    }

    public static TheoryData<KeyValuePair<string, string>[], string> DictCases() => new()
    {
        { [], "{}" },
        {
            [new("ethtool-tx", "off"), new("ethtool-rx", "on"), new("ethtool-sg", "off"), new("ethtool-tso", "off"), new("promiscuous", "true")],
            "{'ethtool-sg': 'off', 'promiscuous': 'true', 'ethtool-rx': 'on', 'ethtool-tx': 'off', 'ethtool-tso': 'off'}"
        },
        {
            [new("a", "1"), new("b", "2"), new("c", "3"), new("d", "4"), new("e", "5"), new("f", "6"), new("g", "7"), new("h", "8"), new("i", "9"), new("j", "10"), new("k", "11")],
            "{'a': '1', 'c': '3', 'b': '2', 'e': '5', 'd': '4', 'g': '7', 'f': '6', 'i': '9', 'h': '8', 'k': '11', 'j': '10'}"
        },
        {
            [new("note", "it's"), new("q", "say \"hi\""), new("both", "'\""), new("bs", "a\\b\tc\n"), new("café", "€ \U0001F600 \a")],
            "{'note': \"it's\", 'q': 'say \"hi\"', 'bs': 'a\\\\b\\tc\\n', u'caf\\xe9': u'\\u20ac \\U0001f600 \\x07', 'both': '\\'\"'}"
        },
        { [new("mtu", ""), new("", "empty key")], "{'': 'empty key', 'mtu': ''}" },
    };

    [Fact]
    public void DiskFolderNamer_UsesDeviceOrCounterWithWarning()
    {
        var namer = new NauDiskFolderNamer();
        namer.Next("xvda", "OpaqueRef:1").ShouldBe("DISK-xvda");
        namer.Next("", "OpaqueRef:2").ShouldBe("DISK-1");
        namer.Next("xvdb", "OpaqueRef:3").ShouldBe("DISK-xvdb");
        namer.Next("", "OpaqueRef:4").ShouldBe("DISK-2");
        namer.Warning.ShouldBe("empty vbd_record[device] on vbd: OpaqueRef:2 empty vbd_record[device] on vbd: OpaqueRef:4 ");
    }

    [Fact]
    public void DiskFolderNamer_NoEmptyDevice_NoWarning()
    {
        var namer = new NauDiskFolderNamer();
        namer.Next("hda", "r").ShouldBe("DISK-hda");
        namer.Warning.ShouldBeEmpty();
    }

    [Fact]
    public async Task WriteDiskAndVifInfo_WritesTheFilesInTheirFolders_AsUtf8()
    {
        var folder = new NauBackupRoot(_dir.Path).VmFolder("DEV-1").CreateBackupFolder(DateTimeOffset.UnixEpoch);
        await folder.WriteDiskInfoAsync("DISK-xvda", Vbd, Vdi, CancellationToken.None);
        await folder.WriteVifInfoAsync(new NauVifRecord("3", "réseau", 1500, "m", [], "u"), CancellationToken.None);

        File.ReadAllText(folder.Path + "/DISK-xvda/vbd.cfg").ShouldBe(NauCfgFormatter.FormatVbd(Vbd));
        var vdiBytes = File.ReadAllBytes(folder.Path + "/DISK-xvda/vdi.cfg");
        vdiBytes.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
        vdiBytes.ShouldBe(Encoding.UTF8.GetBytes(NauCfgFormatter.FormatVdi(Vdi)));
        File.ReadAllText(folder.Path + "/VIFs/vif-3.cfg").ShouldStartWith("device=3\nnetwork_name_label=réseau\nMTU=1500\n");
    }

    [Fact]
    public async Task VmMetadataXml_MatchesXmllintFormat()
    {
        var dataDir = Path.Combine(AppContext.BaseDirectory, "Nau", "TestData");
        await using var input = File.OpenRead(Path.Combine(dataDir, "ova.xml"));

        var text = await NauVmMetadataXml.FormatAsync(input, CancellationToken.None);

        text.ShouldBe(await File.ReadAllTextAsync(Path.Combine(dataDir, "ova.xmllint-format.xml")));
    }

    // Expected outputs captured from `xmllint -format -` (libxml2 2.9).
    [Theory]
    [InlineData(
        "<value><m a=\"x&quot;y&#10;z&#9;&lt;\u00e9\">t<b>u</b>v<c><d/></c></m></value>",
        "<?xml version=\"1.0\"?>\n<value>\n  <m a=\"x&quot;y&#10;z&#9;&lt;&#xE9;\">t<b>u</b>v<c><d/></c></m>\n</value>\n")]
    [InlineData(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- head -->\n<a x=\"1\">\n    <b>  t\u00e9  </b>\n\n  <c>\n  </c>   <d>text<e/>  </d>\n<?pi data?>\n</a>\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- head -->\n<a x=\"1\">\n  <b>  t\u00e9  </b>\n  <c>\n  </c>\n  <d>text<e/>  </d>\n  <?pi data?>\n</a>\n")]
    public async Task VmMetadataXml_FormattingRules(string input, string expected)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        (await NauVmMetadataXml.FormatAsync(stream, CancellationToken.None)).ShouldBe(expected);
    }

    [Fact]
    public async Task WriteVmMetadataXml_MalformedInput_Throws_AndWritesNothing()
    {
        var folder = new NauBackupRoot(_dir.Path).VmFolder("DEV-1").CreateBackupFolder(DateTimeOffset.UnixEpoch);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("<a><b>"));

        await Should.ThrowAsync<XmlException>(() => folder.WriteVmMetadataXmlAsync(input, CancellationToken.None));

        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task VmMetadataXml_RefusesDtd()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>"));
        await Should.ThrowAsync<XmlException>(() => NauVmMetadataXml.FormatAsync(input, CancellationToken.None));
    }

    [Fact]
    public async Task WriteVmMetadataXml_WritesTheFormattedFile()
    {
        var folder = new NauBackupRoot(_dir.Path).VmFolder("DEV-1").CreateBackupFolder(DateTimeOffset.UnixEpoch);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("<a><b>1</b></a>"));

        await folder.WriteVmMetadataXmlAsync(input, CancellationToken.None);

        File.ReadAllText(folder.Path + "/vm-metadata.xml").ShouldBe("<?xml version=\"1.0\"?>\n<a>\n  <b>1</b>\n</a>\n");
    }
}
