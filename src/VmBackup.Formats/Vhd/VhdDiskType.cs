namespace VmBackup.Formats.Vhd;

/// <summary>VHD disk types (footer field at offset 60).</summary>
public enum VhdDiskType
{
    /// <summary>Fixed: raw data followed by the footer.</summary>
    Fixed = 2,

    /// <summary>Dynamic (sparse): header, BAT and blocks.</summary>
    Dynamic = 3,

    /// <summary>Differencing: like dynamic, with a parent.</summary>
    Differencing = 4,
}
