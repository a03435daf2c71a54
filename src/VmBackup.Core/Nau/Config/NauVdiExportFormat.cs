namespace VmBackup.Core.Nau.Config;

/// <summary><c>vdi_export_format</c>: exactly <c>raw</c> or <c>vhd</c> (lowercase).</summary>
public enum NauVdiExportFormat
{
    /// <summary>Raw disk image, <c>&lt;vm&gt;.raw</c>.</summary>
    Raw,

    /// <summary>VHD, <c>&lt;vm&gt;.vhd</c>.</summary>
    Vhd,
}
