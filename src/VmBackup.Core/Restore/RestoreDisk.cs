namespace VmBackup.Core.Restore;

/// <summary>One disk of a backup as its <c>DISK-*</c> folder describes it (<c>vbd.cfg</c> + <c>vdi.cfg</c>).</summary>
/// <param name="FolderName">The folder name, e.g. <c>DISK-xvda</c>.</param>
/// <param name="UserDevice">VBD <c>userdevice</c> (<c>0</c>, <c>1</c>, …).</param>
/// <param name="Bootable">VBD <c>bootable</c>.</param>
/// <param name="ReadOnlyMode">True when the VBD mode is <c>RO</c>.</param>
/// <param name="NameLabel">VDI <c>name_label</c>.</param>
/// <param name="NameDescription">VDI <c>name_description</c>.</param>
/// <param name="VirtualSize">VDI <c>virtual_size</c> in bytes.</param>
/// <param name="VdiType">VDI <c>type</c> as written (<c>system</c>, <c>user</c>, …).</param>
/// <param name="Sharable">VDI <c>sharable</c>.</param>
/// <param name="ReadOnly">VDI <c>read_only</c>.</param>
/// <param name="OriginalUuid">The uuid of the backed-up VDI (<c>orig_uuid</c>).</param>
public sealed record RestoreDisk(
    string FolderName,
    string UserDevice,
    bool Bootable,
    bool ReadOnlyMode,
    string NameLabel,
    string NameDescription,
    long VirtualSize,
    string VdiType,
    bool Sharable,
    bool ReadOnly,
    string OriginalUuid)
{
    /// <summary>The device name of the folder (<c>xvda</c> for <c>DISK-xvda</c>).</summary>
    public string Device => FolderName.StartsWith("DISK-", StringComparison.Ordinal) ? FolderName[5..] : FolderName;
}
