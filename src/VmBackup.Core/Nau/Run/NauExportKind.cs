namespace VmBackup.Core.Nau.Run;

/// <summary>The two kinds of NAUbackup backup: a whole-VM XVA export, or a raw/VHD export of the xvda disk.</summary>
public enum NauExportKind
{
    /// <summary><c>vdi-export</c>: the disk whose VBD device is <c>xvda</c>.</summary>
    VdiExport,

    /// <summary><c>vm-export</c>: the whole VM as XVA.</summary>
    VmExport,
}
