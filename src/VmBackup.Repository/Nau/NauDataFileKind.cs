namespace VmBackup.Repository.Nau;

/// <summary>The kind of the data file in a backup folder, from its extension.</summary>
public enum NauDataFileKind
{
    /// <summary><c>&lt;vm&gt;.xva</c>: vm-export.</summary>
    Xva,

    /// <summary><c>&lt;vm&gt;.xva.gz</c>: vm-export with <c>compress=True</c>.</summary>
    XvaGzip,

    /// <summary><c>&lt;vm&gt;.xva.zst</c>: vm-export with <c>compress=zstd</c> (VmBackup extension).</summary>
    XvaZstd,

    /// <summary><c>&lt;vm&gt;.raw</c>: vdi-export of xvda, raw format.</summary>
    Raw,

    /// <summary><c>&lt;vm&gt;.vhd</c>: vdi-export of xvda, VHD format.</summary>
    Vhd,
}
