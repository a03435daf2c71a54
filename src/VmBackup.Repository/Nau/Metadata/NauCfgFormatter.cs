using System.Globalization;
using System.Text;

namespace VmBackup.Repository.Nau.Metadata;

/// <summary>
/// The text of v3.25's <c>vbd.cfg</c>, <c>vdi.cfg</c> and <c>vif-N.cfg</c>: <c>key=value\n</c> lines in v3.25's order,
/// booleans spelled <c>True</c>/<c>False</c>, <c>other_config</c> as a Python 2 dict repr. The text is written as
/// UTF-8 (v3.25 crashes on a non-ASCII network name; it writes VDI names as UTF-8).
/// </summary>
public static class NauCfgFormatter
{
    /// <summary><c>vbd.cfg</c>: userdevice, bootable, mode, type, unpluggable, empty, orig_uuid.</summary>
    public static string FormatVbd(NauVbdRecord vbd)
    {
        ArgumentNullException.ThrowIfNull(vbd);
        return new StringBuilder()
            .Append("userdevice=").Append(vbd.UserDevice).Append('\n')
            .Append("bootable=").Append(Bool(vbd.Bootable)).Append('\n')
            .Append("mode=").Append(vbd.Mode).Append('\n')
            .Append("type=").Append(vbd.Type).Append('\n')
            .Append("unpluggable=").Append(Bool(vbd.Unpluggable)).Append('\n')
            .Append("empty=").Append(Bool(vbd.Empty)).Append('\n')
            .Append("orig_uuid=").Append(vbd.Uuid).Append('\n')
            .ToString();
    }

    /// <summary><c>vdi.cfg</c>: name_label, name_description, virtual_size, type, sharable, read_only, orig_uuid, orig_sr_uuid.</summary>
    public static string FormatVdi(NauVdiRecord vdi)
    {
        ArgumentNullException.ThrowIfNull(vdi);
        return new StringBuilder()
            .Append("name_label=").Append(vdi.NameLabel).Append('\n')
            .Append("name_description=").Append(vdi.NameDescription).Append('\n')
            .Append("virtual_size=").Append(vdi.VirtualSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("type=").Append(vdi.Type).Append('\n')
            .Append("sharable=").Append(Bool(vdi.Sharable)).Append('\n')
            .Append("read_only=").Append(Bool(vdi.ReadOnly)).Append('\n')
            .Append("orig_uuid=").Append(vdi.Uuid).Append('\n')
            .Append("orig_sr_uuid=").Append(vdi.SrUuid).Append('\n')
            .ToString();
    }

    /// <summary><c>vif-N.cfg</c>: device, network_name_label, MTU, MAC, other_config, orig_uuid.</summary>
    public static string FormatVif(NauVifRecord vif)
    {
        ArgumentNullException.ThrowIfNull(vif);
        return new StringBuilder()
            .Append("device=").Append(vif.Device).Append('\n')
            .Append("network_name_label=").Append(vif.NetworkNameLabel).Append('\n')
            .Append("MTU=").Append(vif.Mtu.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("MAC=").Append(vif.Mac).Append('\n')
            .Append("other_config=").Append(PythonLiteral.DictRepr(vif.OtherConfig)).Append('\n')
            .Append("orig_uuid=").Append(vif.Uuid).Append('\n')
            .ToString();
    }

    private static string Bool(bool b) => b ? "True" : "False";
}
