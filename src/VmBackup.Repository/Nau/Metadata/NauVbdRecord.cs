namespace VmBackup.Repository.Nau.Metadata;

/// <summary>The VBD fields v3.25 writes to <c>vbd.cfg</c>.</summary>
/// <param name="UserDevice">VBD <c>userdevice</c> (e.g. <c>0</c>).</param>
/// <param name="Bootable">VBD <c>bootable</c>.</param>
/// <param name="Mode">VBD <c>mode</c> (<c>RW</c>/<c>RO</c>).</param>
/// <param name="Type">VBD <c>type</c> (<c>Disk</c>).</param>
/// <param name="Unpluggable">VBD <c>unpluggable</c>.</param>
/// <param name="Empty">VBD <c>empty</c>.</param>
/// <param name="Uuid">The VBD uuid (<c>orig_uuid</c>).</param>
public sealed record NauVbdRecord(string UserDevice, bool Bootable, string Mode, string Type, bool Unpluggable, bool Empty, string Uuid);
