using System.Globalization;
using System.Text;

namespace VmBackup.Repository.Nau.Metadata;

/// <summary>
/// v3.25's <c>DISK-&lt;device&gt;</c> naming for one VM: the VBD's device (<c>DISK-xvda</c>); a VBD with an empty device
/// (seen on long-halted VMs, issue #86) gets the next number of a per-VM counter (<c>DISK-1</c>, <c>DISK-2</c>, …) and
/// adds <c>empty vbd_record[device] on vbd: &lt;ref&gt; </c> to <see cref="Warning"/>. Use one instance per VM, in VBD order.
/// </summary>
public sealed class NauDiskFolderNamer
{
    private readonly StringBuilder _warning = new();
    private int _counter;

    /// <summary>The accumulated warning text (empty when every device was set); v3.25 logs <c>WARNING gather_vm_meta: &lt;text&gt;</c>.</summary>
    public string Warning => _warning.ToString();

    /// <summary>The folder name for a Disk VBD with device <paramref name="device"/> and reference <paramref name="vbdRef"/>.</summary>
    public string Next(string device, string vbdRef)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Length > 0)
        {
            return "DISK-" + device;
        }

        _counter++;
        _warning.Append(CultureInfo.InvariantCulture, $"empty vbd_record[device] on vbd: {vbdRef} ");
        return "DISK-" + _counter.ToString(CultureInfo.InvariantCulture);
    }
}
